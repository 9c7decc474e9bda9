using ContivKsr.Ksr.Api;
using ContivKsr.Ksr.Config;
using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContivKsr.Ksr.Hosting;

/// <summary>
/// Reflects only while holding a coordination.k8s.io Lease, so that of several replicas only one
/// writes; losing the Lease stops the engine, and the next term starts a fresh one.
/// </summary>
public sealed class LeaderElectionService(
    KsrSettings settings, LeaderElectionSettings election, IKubernetes client, KsrStats stats, DaemonState state, IHostApplicationLifetime lifetime, ILoggerFactory loggers)
    : ReflectionService(settings, client, stats, state, lifetime, loggers)
{
    protected override async Task ReflectAsync(CancellationToken cancellationToken)
    {
        var config = new LeaderElectionConfig(new LeaseLock(Client, election.LeaseNamespace, election.LeaseName, election.Identity))
        {
            LeaseDuration = election.LeaseDuration,
            RenewDeadline = election.RenewDeadline,
            RetryPeriod = election.RetryPeriod,
        };
        while (!cancellationToken.IsCancellationRequested)
        {
            await RunTermAsync(config, cancellationToken);
        }
    }

    /// <summary>Campaigns for the Lease, reflects while holding it, and returns once it is lost.</summary>
    private async Task RunTermAsync(LeaderElectionConfig config, CancellationToken cancellationToken)
    {
        using var term = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var elector = new LeaderElector(config);
        var engineRun = Task.CompletedTask;
        elector.OnStartedLeading += () =>
        {
            State.IsLeader = true;
            Logger.LogInformation("leading as {Identity} (lease {Namespace}/{Name})", election.Identity, election.LeaseNamespace, election.LeaseName);
            engineRun = Task.Run(() => RunEngineAsync(term.Token), CancellationToken.None);
        };
        elector.OnStoppedLeading += () =>
        {
            State.IsLeader = false;
            Logger.LogWarning("lost the lease; stopping writes");
            term.Cancel();
        };
        elector.OnNewLeader += identity => Logger.LogInformation("leader is {Identity}", identity);
        elector.OnError += e => Logger.LogWarning("leader election: {Error}", e.Message);
        try
        {
            await elector.RunUntilLeadershipLostAsync(cancellationToken);
        }
        finally
        {
            State.IsLeader = false;
            await term.CancelAsync();
            try
            {
                await engineRun;
            }
            catch (OperationCanceledException)
            {
                // The term ended.
            }
        }
    }
}
