namespace ContivKsr.Kv.Cli;

/// <summary>The command line is wrong: exit 2 with the message and a short usage text.</summary>
internal sealed class UsageException(string message) : Exception(message);
