using ContivKsr.Kv.Cli;

return await Kvctl.RunAsync(args, Console.OpenStandardInput(), Console.OpenStandardOutput(), Console.Error);
