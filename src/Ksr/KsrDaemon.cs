using ContivKsr.Ksr.Api;
using ContivKsr.Ksr.Config;
using ContivKsr.Ksr.Hosting;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ContivKsr.Ksr;

/// <summary>
/// The contiv-ksr daemon: a .NET Generic Host (ASP.NET Core's, for the REST API) whose hosted
/// services are Kestrel and the reflection (directly, or only while holding the leader Lease).
/// SIGTERM and SIGINT stop it. Program.cs runs one; tests run it in-process too.
/// </summary>
public sealed class KsrDaemon : IDaemonStatus, IAsyncDisposable
{
    /// <summary>Below Kubernetes' default grace period (30 s), so that the daemon stops by itself before it is killed.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(20);

    private readonly KsrSettings settings;
    private readonly DaemonState state;
    private readonly WebApplication host;
    private readonly ILogger logger;
    private readonly Lazy<Task> stop;
    private bool started;

    public KsrDaemon(KsrSettings settings, ILoggerProvider? extraLogProvider = null)
    {
        this.settings = settings;
        LogLevels = new LogLevelSwitches(["ksr", "ksr-store", .. settings.Resources.Select(kind => kind.LoggerName)], settings.LogLevel);
        state = new DaemonState(settings.LeaderElection is not null);
        Stats = new KsrStats(settings.Resources, () => state.Ready);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        KsrLogging.Configure(builder.Logging, LogLevels, extraLogProvider);
        builder.WebHost.ConfigureKestrel(options => options.Listen(settings.HttpEndpoint));
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddSingleton(settings).AddSingleton(Stats).AddSingleton(state);
        builder.Services.AddSingleton<IKubernetes>(_ => new Kubernetes(settings.Kube));
        if (settings.LeaderElection is { } election)
        {
            builder.Services.AddSingleton(election).AddHostedService<LeaderElectionService>();
        }
        else
        {
            builder.Services.AddHostedService<SyncService>();
        }

        host = builder.Build();
        RestApi.Map(host, LogLevels, Stats, state);
        logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ksr");
        stop = new Lazy<Task>(() => host.StopAsync());
    }

    public LogLevelSwitches LogLevels { get; }

    public KsrStats Stats { get; }

    /// <summary>The REST API's address, with the real port when the configured one was 0.</summary>
    public Uri? HttpAddress { get; private set; }

    public bool Alive => state.Alive;

    public bool Ready => state.Ready;

    public bool? Leader => state.Leader;

    public string? NotReadyReason => state.NotReadyReason;

    /// <summary>Why the daemon stopped by itself, if it did.</summary>
    public string? FatalError => state.FatalError;

    /// <summary>Starts the host: the REST API (failing if its port cannot be bound), then the reflection in the background.</summary>
    /// <exception cref="ConfigException">The REST API's endpoint cannot be listened on.</exception>
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

        started = true;
        try
        {
            await host.StartAsync();
        }
        catch (IOException e)
        {
            throw new ConfigException($"cannot listen on {settings.HttpEndpoint}: {e.Message}", e);
        }

        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        HttpAddress = address is null ? null : new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
        logger.LogInformation("REST API on {Address}", address);
    }

    /// <summary>Completes once the daemon was told to stop (SIGTERM, SIGINT) or stopped by itself, and has stopped.</summary>
    public async Task WaitForShutdownAsync()
    {
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (host.Lifetime.ApplicationStopping.Register(stopping.SetResult))
        {
            await stopping.Task;
        }

        await StopAsync();
    }

    public Task StopAsync() => started ? stop.Value : Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await host.DisposeAsync();
    }
}
