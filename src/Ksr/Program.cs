using System.Runtime.InteropServices;
using ContivKsr.Ksr;
using ContivKsr.Ksr.Config;
using k8s;

if (CommandLine.WantsHelp(args))
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

KsrSettings settings;
try
{
    settings = CommandLine.Parse(args, Environment.GetEnvironmentVariable, KubernetesClientConfiguration.IsInCluster);
}
catch (ConfigException e)
{
    Console.Error.WriteLine($"contiv-ksr: {e.Message}");
    return 2;
}

using var stop = new CancellationTokenSource();
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

await using var daemon = new KsrDaemon(settings);
try
{
    await daemon.StartAsync();
}
catch (ConfigException e)
{
    Console.Error.WriteLine($"contiv-ksr: {e.Message}");
    return 2;
}

var stopped = Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => (string?)null, TaskScheduler.Default);
var fatal = await await Task.WhenAny(daemon.Completion, stopped);
await daemon.StopAsync();
if (fatal is not null)
{
    Console.Error.WriteLine($"contiv-ksr: {fatal}");
    return 1;
}

return 0;
