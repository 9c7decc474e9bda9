namespace ContivKsr.Ksr.Api;

/// <summary>What the probes report.</summary>
public interface IDaemonStatus
{
    /// <summary>False once the daemon failed for good (it then exits).</summary>
    bool Alive { get; }

    /// <summary>Initial sync done and store reachable; a standby replica (leader election) counts as ready.</summary>
    bool Ready { get; }

    /// <summary>Null without leader election.</summary>
    bool? Leader { get; }

    string? NotReadyReason { get; }
}
