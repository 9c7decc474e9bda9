using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;

namespace ContivKsr.Kv.Cli;

/// <summary>
/// kvctl's options as System.CommandLine sees them: options with a value (of a repeated one the
/// last wins), flags, --help/-h, and after "--" the words, in order: the verb and its arguments,
/// which are kvctl's own grammar (<see cref="ArgumentParser"/>).
/// </summary>
internal sealed class KvctlSyntax
{
    public static readonly IReadOnlyList<string> ValueOptionNames =
        ["--backend", "--uri", "--timeout", "--tls-ca", "--tls-cert", "--tls-key", "--username", "--password", "--token", "--ttl"];

    public static readonly IReadOnlyList<string> FlagNames = ["--json", "--tree", "--insecure-skip-tls-verify", "--etcd-leading-slash"];

    /// <summary>Plain argv: no response files ("@FILE" is a value), no directives, no bundling.</summary>
    private static readonly ParserConfiguration Configuration = new() { EnablePosixBundling = false, ResponseFileTokenReplacer = null };

    private readonly RootCommand root = new();
    private readonly HelpOption help = new("--help", "-h");
    private readonly Argument<string[]> words = new("words") { Arity = ArgumentArity.ZeroOrMore };

    public KvctlSyntax()
    {
        ValueOptions = ValueOptionNames.Select(name => new Option<string>(name)
        {
            Arity = ArgumentArity.OneOrMore,
            CustomParser = result => result.Tokens[^1].Value,
        }).ToList();
        Flags = FlagNames.Select(name => new Option<bool>(name) { Arity = ArgumentArity.Zero }).ToList();

        root.Options.Clear();
        root.Directives.Clear();
        foreach (var option in ValueOptions.Concat<Option>(Flags).Append(help))
        {
            root.Add(option);
        }

        root.Add(words);
    }

    public IReadOnlyList<Option<string>> ValueOptions { get; }

    public IReadOnlyList<Option<bool>> Flags { get; }

    public Parsed Parse(IReadOnlyList<string> args)
    {
        var result = root.Parse(args, Configuration);
        return new Parsed(
            result.GetValue(words) ?? [],
            ValueOptions.Where(option => result.GetResult(option) is { Tokens.Count: > 0 } given && given.IdentifierTokenCount == given.Tokens.Count).ToDictionary(option => option.Name, result.GetRequiredValue, StringComparer.Ordinal),
            [.. ValueOptions.Where(option => result.GetResult(option) is { } given && given.IdentifierTokenCount > given.Tokens.Count).Select(option => option.Name)],
            [.. Flags.Where(result.GetValue).Select(flag => flag.Name)],
            result.GetResult(help) is not null);
    }

    /// <param name="Words">Everything that is no option or option value, in order.</param>
    /// <param name="Values">The value of each option given (the last one).</param>
    /// <param name="MissingValues">Options given (at least once) without their value.</param>
    /// <param name="Flags">The flags given.</param>
    /// <param name="Help">--help or -h before "--".</param>
    public sealed record Parsed(IReadOnlyList<string> Words, Dictionary<string, string> Values, IReadOnlyList<string> MissingValues, HashSet<string> Flags, bool Help);
}
