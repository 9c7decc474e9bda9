using ContivKsr.Ksr.Api;
using ContivKsr.Ksr.Config;
using k8s;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContivKsr.Ksr.Hosting;

/// <summary>Reflects for as long as the daemon runs (no leader election).</summary>
public sealed class SyncService(
    KsrSettings settings, IKubernetes client, KsrStats stats, DaemonState state, IHostApplicationLifetime lifetime, ILoggerFactory loggers)
    : ReflectionService(settings, client, stats, state, lifetime, loggers)
{
    protected override Task ReflectAsync(CancellationToken cancellationToken) => RunEngineAsync(cancellationToken);
}
