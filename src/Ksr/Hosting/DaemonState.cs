using ContivKsr.Ksr.Api;
using ContivKsr.Ksr.Store;

namespace ContivKsr.Ksr.Hosting;

/// <summary>What the hosted services report and the probes read: the running sync engine, the lease, a fatal error.</summary>
/// <param name="leaderElection">Whether only the holder of the Lease reflects (a standby counts as ready).</param>
public sealed class DaemonState(bool leaderElection) : IDaemonStatus
{
    private volatile SyncEngine? engine;
    private volatile string? fatalError;
    private volatile bool leader;

    /// <summary>The engine of the current run; null between runs (and on a standby).</summary>
    public SyncEngine? Engine
    {
        get => engine;
        set => engine = value;
    }

    /// <summary>Set while this replica holds the Lease.</summary>
    public bool IsLeader
    {
        get => leader;
        set => leader = value;
    }

    /// <summary>Why the daemon gave up, once it has.</summary>
    public string? FatalError => fatalError;

    public bool Alive => fatalError is null;

    public bool Ready => fatalError is null && (leaderElection && !leader || engine?.Ready == true);

    public bool? Leader => leaderElection ? leader : null;

    public string? NotReadyReason => fatalError ?? engine switch
    {
        null when leaderElection => "standby: another replica holds the lease",
        null => "not started",
        { Phase: { } phase } => "initial sync: " + phase,
        { StoreHealthy: false } => "store unreachable",
        _ => null,
    };

    public void Fail(string error) => fatalError = error;
}
