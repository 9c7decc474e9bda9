using ContivKsr.Ksr.Api;
using ContivKsr.Ksr.Config;
using ContivKsr.Ksr.Store;
using ContivKsr.Kv;
using k8s;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContivKsr.Ksr.Hosting;

/// <summary>
/// The reflection as a hosted service. It starts once the host has started, so the REST API is
/// listening first; a store configuration that cannot be used at all stops the daemon, since
/// retrying cannot help it.
/// </summary>
public abstract class ReflectionService(
    KsrSettings settings, IKubernetes client, KsrStats stats, DaemonState state, IHostApplicationLifetime lifetime, ILoggerFactory loggers) : BackgroundService
{
    protected ILogger Logger { get; } = loggers.CreateLogger("ksr");

    protected IKubernetes Client => client;

    protected DaemonState State => state;

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(started.SetResult))
            {
                await started.Task.WaitAsync(stoppingToken);
            }

            await ReflectAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped.
        }
        catch (KvException e)
        {
            state.Fail($"store configuration cannot be used: {e.Message}");
            Logger.LogCritical("{Error}", state.FatalError);
            lifetime.StopApplication();
        }
    }

    /// <summary>Reflects until cancelled.</summary>
    protected abstract Task ReflectAsync(CancellationToken cancellationToken);

    /// <summary>One run of the sync engine, until cancelled.</summary>
    protected async Task RunEngineAsync(CancellationToken cancellationToken)
    {
        var engine = new SyncEngine(settings, client, loggers, stats);
        state.Engine = engine;
        try
        {
            await engine.RunAsync(cancellationToken);
        }
        finally
        {
            state.Engine = null;
        }
    }
}
