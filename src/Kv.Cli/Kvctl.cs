using ContivKsr.Kv.Stores;

namespace ContivKsr.Kv.Cli;

/// <summary>kvctl's entry point: parse, run, and turn every failure into one stderr line and an exit code.</summary>
internal static class Kvctl
{
    public const int Success = 0;
    public const int StoreError = 1;
    public const int UsageError = 2;
    public const int Interrupted = 130;

    public static async Task<int> RunAsync(string[] args, Stream stdin, Stream stdout, TextWriter stderr)
    {
        CliCommand command;
        try
        {
            command = ArgumentParser.Parse(args);
        }
        catch (UsageException e)
        {
            await stderr.WriteLineAsync($"kvctl: {e.Message}");
            await stderr.WriteLineAsync(Usage.Short);
            return UsageError;
        }

        if (command.Help)
        {
            await using var help = new StreamWriter(stdout, leaveOpen: true);
            await help.WriteAsync(Usage.Full);
            return Success;
        }

        // Ctrl-C (and SIGTERM) end a watch cleanly: cancel, finish the line being written, exit 0.
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
        try
        {
            await using var store = KvStores.Open(command.Store);
            await new VerbRunner(store, command, new OutputWriter(stdout, command.Json), stdin).RunAsync(stop.Token);
            return Success;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl-C is how a watch normally ends; anything else was interrupted (128 + SIGINT).
            return command.Verb == "watch" ? Success : Interrupted;
        }
        catch (UsageException e)
        {
            await stderr.WriteLineAsync($"kvctl: {e.Message}");
            await stderr.WriteLineAsync(Usage.Short);
            return UsageError;
        }
        catch (KvInvalidConfigException e)
        {
            await stderr.WriteLineAsync($"kvctl: {e.Message}");
            return UsageError;
        }
        catch (Exception e) when (e is KvException or CliInputException or ArgumentException)
        {
            await stderr.WriteLineAsync($"kvctl: {OneLine(e.Message)}");
            return StoreError;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
