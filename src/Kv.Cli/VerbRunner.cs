using System.Globalization;

namespace ContivKsr.Kv.Cli;

/// <summary>Runs one parsed command against an open store.</summary>
internal sealed class VerbRunner(IKvStore store, CliCommand command, OutputWriter output, Stream standardInput)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var args = command.Arguments;
        switch (command.Verb)
        {
            case "get":
                await output.ValueAsync(await store.GetAsync(args[0], cancellationToken), cancellationToken);
                break;
            case "put":
                var value = await ValueInput.ReadAsync(args[1], standardInput, cancellationToken);
                await store.PutAsync(args[0], value, WriteOptions(), cancellationToken);
                break;
            case "del":
                await store.DeleteAsync(args[0], cancellationToken);
                break;
            case "ls":
                await output.ListAsync(await store.ListAsync(args.Count > 0 ? args[0] : "", cancellationToken), cancellationToken);
                break;
            case "rmtree" when KvKey.Normalize(args[0]).Length == 0:
                // The root directory is every key in the store: too easy to type by accident.
                throw new UsageException("refusing to remove the root directory (every key); name a directory");
            case "rmtree":
                await store.DeleteTreeAsync(args[0], cancellationToken);
                break;
            case "cas":
                await CompareAndSwapAsync(args[0], args[1], args[2], cancellationToken);
                break;
            case "watch" when command.Tree:
                await foreach (var snapshot in store.WatchTreeAsync(args[0], cancellationToken))
                {
                    await output.SnapshotAsync(snapshot, cancellationToken);
                }

                break;
            case "watch":
                await foreach (var change in store.WatchAsync(args[0], cancellationToken))
                {
                    await output.EventAsync(change, cancellationToken);
                }

                break;
            default:
                throw new UsageException($"unknown command '{command.Verb}'");
        }
    }

    private async Task CompareAndSwapAsync(string key, string valueArgument, string indexText, CancellationToken cancellationToken)
    {
        if (!long.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            throw new UsageException($"cas INDEX must be a non-negative integer, got '{indexText}'");
        }

        var value = await ValueInput.ReadAsync(valueArgument, standardInput, cancellationToken);
        // Only LastIndex of the previous pair takes part in the comparison.
        var previous = index == 0 ? null : new KvPair(KvKey.Normalize(key), [], index);
        var written = await store.AtomicPutAsync(key, value, previous, WriteOptions(), cancellationToken);
        await output.IndexAsync(written, cancellationToken);
    }

    private KvWriteOptions? WriteOptions() => command.Ttl is { } ttl ? new KvWriteOptions(ttl) : null;
}
