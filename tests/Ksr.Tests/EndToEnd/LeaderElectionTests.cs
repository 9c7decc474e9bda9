using ContivKsr.Ksr.Config;

namespace ContivKsr.Ksr.Tests.EndToEnd;

[Collection(EtcdCollection.Name)]
public sealed class LeaderElectionTests(EtcdFixture etcd) : IAsyncLifetime
{
    private KsrTestBed bed = null!;

    public async Task InitializeAsync() => bed = await KsrTestBed.StartAsync(etcd);

    public async Task DisposeAsync() => await bed.DisposeAsync();

    [Fact]
    public async Task OnlyTheLeaseHolderWritesAndTheStandbyTakesOver()
    {
        bed.Kube.Apply(Objects.Pod("default", "a", "10.1.1.1"));
        var first = await bed.StartDaemonAsync(Elected("ksr-1"));
        await Eventually.TrueAsync(() => Task.FromResult(first.Leader == true), "first replica leads");
        var second = await bed.StartDaemonAsync(Elected("ksr-2"));
        await bed.ConvergedAsync();

        Assert.Equal(false, second.Leader);
        Assert.True(second.Ready);
        Assert.Equal(0, second.Stats.Store.Operations);

        await bed.StopDaemonAsync(first);
        await Eventually.TrueAsync(() => Task.FromResult(second.Leader == true && second.Ready), "standby takes over", TimeSpan.FromSeconds(30));
        bed.Kube.Apply(Objects.Pod("default", "b", "10.1.1.2"));
        await bed.ConvergedAsync();
    }

    private KsrSettings Elected(string identity) => bed.Settings(s => s with
    {
        LeaderElection = new LeaderElectionSettings("kube-system", "contiv-ksr", identity)
        {
            LeaseDuration = TimeSpan.FromSeconds(2),
            RenewDeadline = TimeSpan.FromSeconds(1.5),
            RetryPeriod = TimeSpan.FromMilliseconds(200),
        },
    });
}
