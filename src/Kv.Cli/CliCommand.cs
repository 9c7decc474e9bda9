namespace ContivKsr.Kv.Cli;

/// <summary>A parsed command line: how to reach the store, how to print, and what to do.</summary>
internal sealed record CliCommand(KvStoreConfig Store, bool Json, string Verb, IReadOnlyList<string> Arguments)
{
    /// <summary>put/cas: --ttl SECONDS.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>watch: --tree.</summary>
    public bool Tree { get; init; }

    public bool Help { get; init; }
}
