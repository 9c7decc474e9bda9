using System.Net;
using ContivKsr.Ksr.Api;
using ContivKsr.Ksr.Config;
using ContivKsr.Ksr.Reflection;
using ContivKsr.Ksr.Store;
using ContivKsr.Kv;
using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ContivKsr.Ksr;

/// <summary>
/// The contiv-ksr daemon as a host: REST API, logging, and the sync engine (directly, or only
/// while holding the leader Lease). Program.cs runs one; tests run it in-process too.
/// </summary>
public sealed class KsrDaemon : IDaemonStatus, IAsyncDisposable
{
    private readonly KsrSettings settings;
    private readonly ILoggerProvider? extraLogProvider;
    private readonly CancellationTokenSource stopping = new();
    private readonly ILoggerFactory loggerFactory;
    private readonly ILogger logger;
    private WebApplication? web;
    private Task? run;
    private volatile SyncEngine? engine;
    private volatile string? fatalError;
    private volatile bool leader;

    public KsrDaemon(KsrSettings settings, ILoggerProvider? extraLogProvider = null)
    {
        this.settings = settings;
        this.extraLogProvider = extraLogProvider;
        var reflectorLoggers = settings.Resources.Select(kind => kind.LoggerName);
        LogLevels = new LogLevelSwitches(["ksr", "ksr-store", .. reflectorLoggers], settings.LogLevel);
        Stats = new KsrStats(settings.Resources, () => Ready);
        loggerFactory = LoggerFactory.Create(builder => KsrLogging.Configure(builder, LogLevels, extraLogProvider));
        logger = loggerFactory.CreateLogger("ksr");
    }

    public LogLevelSwitches LogLevels { get; }

    public KsrStats Stats { get; }

    /// <summary>The REST API's address, with the real port when the configured one was 0.</summary>
    public Uri? HttpAddress { get; private set; }

    public bool Alive => fatalError is null;

    public bool Ready => fatalError is null && (settings.LeaderElection is not null && !leader || engine?.Ready == true);

    public bool? Leader => settings.LeaderElection is null ? null : leader;

    public string? NotReadyReason => fatalError ?? engine switch
    {
        null when settings.LeaderElection is not null => "standby: another replica holds the lease",
        null => "not started",
        { Phase: { } phase } => "initial sync: " + phase,
        { StoreHealthy: false } => "store unreachable",
        _ => null,
    };

    /// <summary>Time from engine start to readiness, once ready.</summary>
    public TimeSpan? InitialSyncDuration => engine?.InitialSyncDuration;

    /// <summary>Completes when the daemon stops; holds the fatal error's message when it failed.</summary>
    public Task<string?> Completion => run is null ? Task.FromResult<string?>(null) : run.ContinueWith(_ => fatalError, TaskScheduler.Default);

    /// <summary>Starts the REST API (failing if its port cannot be bound), then the reflection in the background.</summary>
    public async Task StartAsync()
    {
        foreach (var source in settings.Sources)
        {
            logger.LogInformation("configuration: {Source}", source);
        }

        foreach (var warning in settings.Warnings)
        {
            logger.LogWarning("{Warning}", warning);
        }

        web = BuildWebApplication();
        try
        {
            await web.StartAsync(stopping.Token);
        }
        catch (IOException e)
        {
            throw new ConfigException($"cannot listen on {settings.HttpEndpoint}: {e.Message}", e);
        }

        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        HttpAddress = address is null ? null : new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
        logger.LogInformation("REST API on {Address}", address);
        var client = new Kubernetes(settings.Kube);
        run = Task.Run(() => RunAsync(client, stopping.Token));
    }

    public async Task StopAsync()
    {
        if (!stopping.IsCancellationRequested)
        {
            await stopping.CancelAsync();
        }

        if (run is not null)
        {
            await run;
        }

        if (web is not null)
        {
            await web.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (web is not null)
        {
            await web.DisposeAsync();
        }

        loggerFactory.Dispose();
        stopping.Dispose();
    }

    private async Task RunAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        try
        {
            if (settings.LeaderElection is { } election)
            {
                await RunAsLeaderAsync(client, election, cancellationToken);
            }
            else
            {
                await RunEngineAsync(client, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
        catch (KvException e)
        {
            // Retrying cannot help a store configuration that cannot be used at all.
            fatalError = $"store configuration cannot be used: {e.Message}";
            logger.LogCritical("{Error}", fatalError);
        }
        finally
        {
            engine = null;
        }
    }

    private async Task RunEngineAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        var current = new SyncEngine(settings, client, loggerFactory, Stats);
        engine = current;
        await current.RunAsync(cancellationToken);
    }

    /// <summary>Reflects only while holding the Lease; losing it stops the engine, and the next term starts a fresh one.</summary>
    private async Task RunAsLeaderAsync(IKubernetes client, LeaderElectionSettings election, CancellationToken cancellationToken)
    {
        var leaseLock = new LeaseLock(client, election.LeaseNamespace, election.LeaseName, election.Identity);
        var config = new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = election.LeaseDuration,
            RenewDeadline = election.RenewDeadline,
            RetryPeriod = election.RetryPeriod,
        };
        while (!cancellationToken.IsCancellationRequested)
        {
            using var term = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var elector = new LeaderElector(config);
            Task engineRun = Task.CompletedTask;
            elector.OnStartedLeading += () =>
            {
                leader = true;
                logger.LogInformation("leading as {Identity} (lease {Namespace}/{Name})", election.Identity, election.LeaseNamespace, election.LeaseName);
                engineRun = Task.Run(() => RunEngineAsync(client, term.Token), CancellationToken.None);
            };
            elector.OnStoppedLeading += () =>
            {
                leader = false;
                logger.LogWarning("lost the lease; stopping writes");
                term.Cancel();
            };
            elector.OnNewLeader += identity => logger.LogInformation("leader is {Identity}", identity);
            elector.OnError += e => logger.LogWarning("leader election: {Error}", e.Message);
            try
            {
                await elector.RunUntilLeadershipLostAsync(cancellationToken);
            }
            finally
            {
                leader = false;
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

    private WebApplication BuildWebApplication()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        KsrLogging.Configure(builder.Logging, LogLevels, extraLogProvider);
        builder.WebHost.ConfigureKestrel(options => options.Listen(settings.HttpEndpoint));
        var app = builder.Build();
        RestApi.Map(app, LogLevels, Stats, this);
        return app;
    }
}
