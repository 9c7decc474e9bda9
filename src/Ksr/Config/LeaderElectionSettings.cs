namespace ContivKsr.Ksr.Config;

/// <summary>Leader election on a coordination.k8s.io Lease, so that of several replicas only one writes.</summary>
public sealed record LeaderElectionSettings(string LeaseNamespace, string LeaseName, string Identity)
{
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);
}
