namespace ContivKsr.Kv.Cli;

/// <summary>Where a value comes from: literal text, "@FILE" (raw bytes), or "-" (standard input, raw bytes).</summary>
internal static class ValueInput
{
    /// <exception cref="CliInputException">The file cannot be read.</exception>
    public static async Task<byte[]> ReadAsync(string argument, Stream standardInput, CancellationToken cancellationToken)
    {
        if (argument == "-")
        {
            using var buffer = new MemoryStream();
            await standardInput.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }

        if (argument.StartsWith('@'))
        {
            var path = argument[1..];
            try
            {
                return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                throw new CliInputException($"cannot read value file '{path}': {e.Message}");
            }
        }

        return System.Text.Encoding.UTF8.GetBytes(argument);
    }
}

/// <summary>Input the user pointed at cannot be read: exit 1, like a store error.</summary>
internal sealed class CliInputException(string message) : Exception(message);
