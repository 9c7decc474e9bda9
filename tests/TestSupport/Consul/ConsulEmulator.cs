using System.Net;
using System.Security.Cryptography.X509Certificates;
using ContivKsr.Kv;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContivKsr.TestSupport.Consul;

/// <summary>
/// An in-process emulator of Consul's KV HTTP API, for tests: no Consul server can be installed on
/// these machines (no Debian or npm package, no NuGet client), so the Consul backend is verified
/// against this instead. It listens on 127.0.0.1:&lt;free port&gt; (ASP.NET Core Kestrel) and
/// implements, with Consul's documented semantics:
/// <list type="bullet">
/// <item>GET/PUT/DELETE /v1/kv/&lt;key&gt; with recurse, keys, separator, raw, flags, cas (0 = create
/// only; <c>true</c>/<c>false</c> bodies), acquire, release; 404 for a missing key or empty prefix.</item>
/// <item>A global raft-like index that only grows (every write is one apply, even a failed cas);
/// CreateIndex, ModifyIndex, LockIndex, Flags and Session per key; X-Consul-Index on every read,
/// 404s included (a missing key answers the KV tables' index; a prefix its newest key or
/// tombstone).</item>
/// <item>Blocking queries: ?index and ?wait ("5s", "100ms"; default 5 min, at most 10 min, plus up
/// to wait/16 of jitter) answer when the query's index passes ?index, or when the wait ends.</item>
/// <item>Sessions: create (TTL between 10 s and 24 h, else 400; Behavior release or delete), renew
/// (404 when gone), destroy, info, list; a TTL session is invalidated when not renewed within twice
/// its TTL (Consul's SessionTTLMultiplier), releasing or deleting the keys it holds.</item>
/// <item>/v1/txn with the KV verbs set, cas, lock, unlock, get, get-tree, check-index,
/// check-session, check-not-exists, delete, delete-tree, delete-cas: atomic, 409 with every error
/// on failure, 413 above 64 operations; a read-only transaction does not advance the index.</item>
/// <item>Optional ACL: with <see cref="RequiredToken"/> set, a request without a token gets 403
/// "Permission denied" and one with another token 403 "ACL not found".</item>
/// <item>Optional TLS (<see cref="ServerCertificate"/>), and client-certificate checking
/// (<see cref="ClientCertificateAuthority"/>).</item>
/// </list>
/// </summary>
/// <remarks>
/// Deviations from a real Consul (also in docs/consul.md): one node, one datacenter (?dc, ?stale,
/// ?consistent are ignored); no catalog, health, agent or ACL-management endpoints and no
/// Node/Service/Check transaction operations (400); the lock delay is not applied; session health
/// checks are not evaluated; tombstones stay until <see cref="ReapTombstones"/> (Consul reaps them
/// after a while); a blocking query re-evaluates on every write, so one on a missing key may answer
/// before its wait ends when other keys change (Consul waits for that key); ACL tokens are a single
/// shared secret with every right, not policies; keys starting with '/' are refused with 400;
/// session TTL timers keep running while the emulator is stopped (a Consul leader change resets them).
/// Test hooks: <see cref="Stop"/>/<see cref="StartAgainAsync"/> (an outage), <see cref="LoseData"/>
/// (a rebuilt cluster), <see cref="ReapTombstones"/>, <see cref="DestroySession"/>.
/// </remarks>
public sealed class ConsulEmulator : IKvTestServer
{
    public const string NodeName = "consul-emulator";

    private readonly ConsulState state = new();
    private readonly ConsulKvEndpoint kv;
    private readonly ConsulSessionEndpoint sessions;
    private readonly ConsulTxnEndpoint txn;
    private readonly CancellationTokenSource disposed = new();
    private readonly Task expiry;
    private WebApplication? app;
    private CancellationTokenSource stopping = new();

    private ConsulEmulator(int port)
    {
        Port = port;
        kv = new ConsulKvEndpoint(state);
        sessions = new ConsulSessionEndpoint(state);
        txn = new ConsulTxnEndpoint(state);
        expiry = ExpireSessionsAsync(disposed.Token);
    }

    public int Port { get; }

    /// <summary>"127.0.0.1:port", as a KvStoreConfig endpoint or a CNI config uri.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>When set, every request must carry this ACL token (X-Consul-Token, a Bearer header, or ?token=).</summary>
    public string? RequiredToken { get; set; }

    /// <summary>Serve HTTPS with this certificate (set before <see cref="StartAsync"/>).</summary>
    public X509Certificate2? ServerCertificate { get; init; }

    /// <summary>With HTTPS, require a client certificate issued by this CA.</summary>
    public X509Certificate2? ClientCertificateAuthority { get; init; }

    /// <summary>The last raft index applied; it never goes down (unless the data is wiped).</summary>
    public ulong RaftIndex
    {
        get
        {
            lock (state.Gate)
            {
                return state.RaftIndex;
            }
        }
    }

    /// <summary>Ids of the sessions that exist now.</summary>
    public IReadOnlyList<string> SessionIds
    {
        get
        {
            lock (state.Gate)
            {
                return state.Sessions.Keys.ToList();
            }
        }
    }

    public static async Task<ConsulEmulator> StartAsync(Action<ConsulEmulatorOptions>? configure = null)
    {
        var options = new ConsulEmulatorOptions();
        configure?.Invoke(options);
        var emulator = new ConsulEmulator(FreePort.Next())
        {
            RequiredToken = options.RequiredToken,
            ServerCertificate = options.ServerCertificate,
            ClientCertificateAuthority = options.ClientCertificateAuthority,
        };
        await emulator.StartAgainAsync();
        return emulator;
    }

    public KvStoreConfig Config(TimeSpan? connectionTimeout = null) => new()
    {
        Backend = KvBackend.Consul,
        Endpoints = [ServerCertificate is null ? Endpoint : $"https://localhost:{Port}"],
        ConnectionTimeout = connectionTimeout ?? TimeSpan.FromSeconds(5),
        Token = RequiredToken,
    };

    Task IKvTestServer.StartAgainAsync() => StartAgainAsync();

    /// <summary>Starts (or restarts after <see cref="Stop"/>) listening on the same port; the data is kept.</summary>
    /// <param name="loseData">Start as a rebuilt cluster: no keys or sessions, indexes start over.</param>
    public async Task StartAgainAsync(bool loseData = false)
    {
        if (app is not null)
        {
            throw new InvalidOperationException("the emulator is running; Stop() it first");
        }

        if (loseData)
        {
            state.Clear();
        }

        stopping = new CancellationTokenSource();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.Zero);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Port, listen =>
        {
            if (ServerCertificate is { } certificate)
            {
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = certificate;
                    if (ClientCertificateAuthority is { } authority)
                    {
                        https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                        https.ClientCertificateValidation = (client, _, _) => IsIssuedBy(client, authority);
                    }
                });
            }
        }));
        var application = builder.Build();
        application.Run(HandleAsync);
        await application.StartAsync();
        app = application;
    }

    /// <summary>Simulates an outage: stops listening and drops every open connection; the data stays.</summary>
    public void Stop()
    {
        if (app is not { } running)
        {
            return;
        }

        app = null;
        stopping.Cancel();
        running.StopAsync().GetAwaiter().GetResult();
        running.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Drops every tombstone, as Consul's tombstone GC does after a while; a prefix's index may then go backwards.</summary>
    public void ReapTombstones() => state.ReapTombstones();

    /// <summary>
    /// Loses every key and session while running, as a cluster restored from an empty snapshot or
    /// rebuilt behind the same address: indexes start over, so clients see them go backwards.
    /// </summary>
    public void LoseData() => state.Clear();

    /// <summary>Destroys a session as if it expired or an operator removed it.</summary>
    public void DestroySession(string id) => state.DestroySession(id);

    public async ValueTask DisposeAsync()
    {
        Stop();
        await disposed.CancelAsync();
        try
        {
            await expiry;
        }
        catch (OperationCanceledException)
        {
        }

        disposed.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token, context.RequestAborted);
        try
        {
            CheckToken(context);
            var path = context.Request.Path.Value ?? "";
            if (path.StartsWith("/v1/kv/", StringComparison.Ordinal))
            {
                await kv.HandleAsync(context, path["/v1/kv/".Length..], linked.Token);
            }
            else if (path == "/v1/kv")
            {
                await kv.HandleAsync(context, "", linked.Token);
            }
            else if (path.StartsWith("/v1/session/", StringComparison.Ordinal))
            {
                await sessions.HandleAsync(context, path["/v1/session/".Length..], linked.Token);
            }
            else if (path == "/v1/txn")
            {
                await txn.HandleAsync(context);
            }
            else if (path == "/v1/status/leader")
            {
                await ConsulHttp.WriteJsonAsync(context, 200, $"127.0.0.1:{Port}");
            }
            else
            {
                throw new ConsulEmulatorException(404, $"this emulator does not implement {path}");
            }
        }
        catch (ConsulEmulatorException e) when (!context.Response.HasStarted)
        {
            await ConsulHttp.WriteTextAsync(context, e.Status, e.Message);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // Stopped mid-query: drop the connection, as a server that went away would.
            context.Abort();
        }
    }

    private void CheckToken(HttpContext context)
    {
        if (RequiredToken is not { } required)
        {
            return;
        }

        string? token = context.Request.Headers["X-Consul-Token"];
        if (string.IsNullOrEmpty(token) && context.Request.Headers.Authorization.ToString() is { } authorization
            && authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            token = authorization["Bearer ".Length..];
        }

        token = string.IsNullOrEmpty(token) ? ConsulHttp.Text(context, "token") : token;
        if (string.IsNullOrEmpty(token))
        {
            throw new ConsulEmulatorException(403, "Permission denied");
        }

        if (token != required)
        {
            throw new ConsulEmulatorException(403, "ACL not found");
        }
    }

    private async Task ExpireSessionsAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            state.ExpireSessions(DateTime.UtcNow);
        }
    }

    private static bool IsIssuedBy(X509Certificate2 client, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        return chain.Build(client);
    }
}

/// <summary>Settings of <see cref="ConsulEmulator.StartAsync"/>.</summary>
public sealed class ConsulEmulatorOptions
{
    public string? RequiredToken { get; set; }

    public X509Certificate2? ServerCertificate { get; set; }

    public X509Certificate2? ClientCertificateAuthority { get; set; }
}
