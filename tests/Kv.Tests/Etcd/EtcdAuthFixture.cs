using Authpb;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using ContivKsr.TestSupport;

namespace ContivKsr.Kv.Tests.Etcd;

/// <summary>
/// A real etcd with authentication enabled: user "root", and user "alice" who may read and write
/// only keys under "alice/".
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
        server = await EtcdServer.StartAsync();
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
    }

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
