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

await daemon.WaitForShutdownAsync();
if (daemon.FatalError is { } fatal)
{
    Console.Error.WriteLine($"contiv-ksr: {fatal}");
    return 1;
}

return 0;
