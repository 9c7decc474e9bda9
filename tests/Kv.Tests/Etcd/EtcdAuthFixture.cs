using Authpb;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Tests.Etcd;

/// <summary>
/// A real etcd with authentication enabled: user "root", and user "alice" who may read and write
/// only keys under "alice/". It serves the v2 API too (--enable-v2), whose authentication is
/// separate and set up alike: v2 users "root" and "alice" (read and write under "/alice/"), and
/// no access at all for requests without credentials (the v2 guest role is emptied).
/// </summary>
public sealed class EtcdAuthFixture : IAsyncLifetime
{
    public const string AlicePassword = "alice-secret";
    private const string RootPassword = "root-secret";
    private EtcdServer? server;

    public EtcdServer Server => server ?? throw new InvalidOperationException("fixture not started");

    public KvStoreConfig Config(string? username, string? password) => Server.Config(TimeSpan.FromSeconds(3)) with
    {
        Username = username,
        Password = password,
    };

    public async Task InitializeAsync()
    {
        server = await EtcdServer.StartAsync(enableV2: true);
        using var admin = new EtcdAdmin(Server.Endpoint);
        var etcd = admin.Client;
        await etcd.UserAddAsync(new AuthUserAddRequest { Name = "root", Password = RootPassword });
        await etcd.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = "root", Role = "root" });
        await etcd.UserAddAsync(new AuthUserAddRequest { Name = "alice", Password = AlicePassword });
        await etcd.RoleAddAsync(new AuthRoleAddRequest { Name = "alice-rw" });
        await etcd.RoleGrantPermissionAsync(new AuthRoleGrantPermissionRequest
        {
            Name = "alice-rw",
            Perm = new Permission
            {
                PermType = Permission.Types.Type.Readwrite,
                Key = ByteString.CopyFromUtf8("alice/"),
                RangeEnd = ByteString.CopyFromUtf8("alice0"),
            },
        });
        await etcd.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = "alice", Role = "alice-rw" });
        await etcd.AuthEnableAsync(new AuthEnableRequest());
        await EnableV2AuthenticationAsync();
    }

    /// <summary><c>ETCDCTL_API=2 etcdctl --username root:... set KEY VALUE</c>.</summary>
    public Task V2SetAsRootAsync(string key, string value) =>
        Etcdctl.V2SetAsync(Server.Endpoint, key, value, "--username", $"root:{RootPassword}");

    /// <summary>
    /// Sets alice's password to what it already is. etcd drops every token of a user whose
    /// password changes, so this expires alice's tokens as a token TTL would.
    /// </summary>
    public async Task ExpireAliceTokensAsync()
    {
        using var admin = new EtcdAdmin(Server.Endpoint);
        var token = (await admin.Client.AuthenticateAsync(new AuthenticateRequest { Name = "root", Password = RootPassword })).Token;
        await admin.Client.UserChangePasswordAsync(
            new AuthUserChangePasswordRequest { Name = "alice", Password = AlicePassword },
            new Metadata { { "token", token } });
    }

    private async Task EnableV2AuthenticationAsync()
    {
        using (var anonymous = new EtcdV2Http(Server.Endpoint))
        {
            await anonymous.AuthAsync("users/root", $$"""{"user":"root","password":"{{RootPassword}}"}""");
            await anonymous.AuthAsync("users/alice", $$"""{"user":"alice","password":"{{AlicePassword}}"}""");
            await anonymous.AuthAsync("roles/alice-rw", """{"role":"alice-rw","permissions":{"kv":{"read":["/alice/*"],"write":["/alice/*"]}}}""");
            await anonymous.AuthAsync("users/alice", """{"user":"alice","grant":["alice-rw"]}""");
            await anonymous.AuthAsync("enable");
        }

        using var root = new EtcdV2Http(Server.Endpoint, "root", RootPassword);
        await root.AuthAsync("roles/guest", """{"role":"guest","revoke":{"kv":{"read":["/*"],"write":["/*"]}}}""");
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}

[CollectionDefinition("etcd-auth")]
public sealed class EtcdAuthCollection : ICollectionFixture<EtcdAuthFixture>;
