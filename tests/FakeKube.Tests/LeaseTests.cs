using k8s;
using System.Net;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;

namespace ContivKsr.FakeKube.Tests;

public sealed class LeaseTests : FakeKubeTestBase
{
    private static V1Lease Lease(string holder, string? resourceVersion = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "contiv-ksr", NamespaceProperty = "kube-system", ResourceVersion = resourceVersion },
        Spec = new V1LeaseSpec { HolderIdentity = holder, LeaseDurationSeconds = 15 },
    };

    [Fact]
    public async Task Create_read_and_replace_with_the_current_version_succeed()
    {
        var created = await Client.CoordinationV1.CreateNamespacedLeaseAsync(Lease("a"), "kube-system");
        var read = await Client.CoordinationV1.ReadNamespacedLeaseAsync("contiv-ksr", "kube-system");
        read.Spec.HolderIdentity = "b";
        var replaced = await Client.CoordinationV1.ReplaceNamespacedLeaseAsync(read, "contiv-ksr", "kube-system");

        Assert.Equal("1", created.Metadata.ResourceVersion);
        Assert.Equal(created.Metadata.Uid, replaced.Metadata.Uid);
        Assert.Equal("2", replaced.Metadata.ResourceVersion);
        Assert.Equal("b", (await Client.CoordinationV1.ReadNamespacedLeaseAsync("contiv-ksr", "kube-system")).Spec.HolderIdentity);
    }

    [Fact]
    public async Task Creating_a_taken_name_is_409_already_exists()
    {
        await Client.CoordinationV1.CreateNamespacedLeaseAsync(Lease("a"), "kube-system");

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoordinationV1.CreateNamespacedLeaseAsync(Lease("b"), "kube-system"));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Contains("\"reason\":\"AlreadyExists\"", error.Response.Content);
        Assert.Contains("leases.coordination.k8s.io \\\"contiv-ksr\\\" already exists", error.Response.Content);
    }

    [Fact]
    public async Task Replacing_with_a_stale_version_is_409_conflict_and_changes_nothing()
    {
        var created = await Client.CoordinationV1.CreateNamespacedLeaseAsync(Lease("a"), "kube-system");
        await Client.CoordinationV1.ReplaceNamespacedLeaseAsync(Lease("b", created.Metadata.ResourceVersion), "contiv-ksr", "kube-system");

        var error = await Assert.ThrowsAsync<HttpOperationException>(() =>
            Client.CoordinationV1.ReplaceNamespacedLeaseAsync(Lease("c", created.Metadata.ResourceVersion), "contiv-ksr", "kube-system"));

        Assert.Equal(HttpStatusCode.Conflict, error.Response.StatusCode);
        Assert.Contains("\"reason\":\"Conflict\"", error.Response.Content);
        Assert.Equal("b", (await Client.CoordinationV1.ReadNamespacedLeaseAsync("contiv-ksr", "kube-system")).Spec.HolderIdentity);
    }

    [Fact]
    public async Task Replacing_a_missing_lease_is_404_and_a_name_mismatch_is_400()
    {
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoordinationV1.ReplaceNamespacedLeaseAsync(Lease("a"), "contiv-ksr", "kube-system"));
        await Client.CoordinationV1.CreateNamespacedLeaseAsync(Lease("a"), "kube-system");
        var mismatch = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoordinationV1.ReplaceNamespacedLeaseAsync(Lease("a"), "other", "kube-system"));

        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.Response.StatusCode);
    }

    [Fact]
    public async Task KubernetesClient_leader_election_elects_one_leader_over_the_fake()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var first = Elector("ksr-a");
        using var second = Elector("ksr-b");
        var firstLeads = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondSeesLeader = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondLed = false;
        first.OnStartedLeading += () => firstLeads.TrySetResult();
        second.OnStartedLeading += () => secondLed = true;
        second.OnNewLeader += leader => secondSeesLeader.TrySetResult(leader);

        var firstRun = first.RunUntilLeadershipLostAsync(stop.Token);
        await firstLeads.Task.WaitAsync(stop.Token);
        var secondRun = second.RunUntilLeadershipLostAsync(stop.Token);

        Assert.Equal("ksr-a", await secondSeesLeader.Task.WaitAsync(stop.Token));
        Assert.False(secondLed);
        Assert.Contains(Server.RequestLog, line => line.StartsWith("PUT /apis/coordination.k8s.io/v1/namespaces/kube-system/leases/contiv-ksr", StringComparison.Ordinal));
        await stop.CancelAsync();
        await Task.WhenAll(firstRun, secondRun).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private LeaderElector Elector(string identity) =>
        new(new LeaderElectionConfig(new LeaseLock(Client, "kube-system", "contiv-ksr", identity))
        {
            LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2),
            RetryPeriod = TimeSpan.FromMilliseconds(100),
        });
}
