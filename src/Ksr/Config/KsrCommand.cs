using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using ContivKsr.Ksr.Api;
using ContivKsr.Ksr.Keys;
using ContivKsr.Ksr.Kinds;
using ContivKsr.Ksr.Store;

namespace ContivKsr.Ksr.Config;

/// <summary>
/// contiv-ksr's flags as System.CommandLine options, in the forms Go's flag package took them
/// (<c>-flag</c> or <c>--flag</c>, a value after a space or '='; of a repeated flag the last
/// wins), each falling back to its environment variables when not given.
/// </summary>
public sealed class KsrCommand
{
    private readonly Func<string, string?> environment;
    private readonly RootCommand root = new();

    /// <param name="environment">Reads an environment variable.</param>
    public KsrCommand(Func<string, string?> environment)
    {
        this.environment = environment;
        EtcdConfig = Text("--etcdv3-config", "ETCDV3_CONFIG");
        StoreConfig = Text("--store-config", "KSR_STORE_CONFIG");
        HttpConfig = Text("--http-config", "HTTP_CONFIG");
        KubeConfig = Text("--kube-config", "KSR_CONFIG", "KUBE_CONFIG");
        KeyLayout = Value("--key-layout", text => Choice<KeyLayoutKind>("--key-layout", text), KeyLayoutKind.Nested, "KSR_KEY_LAYOUT");
        ValueFormat = Value("--value-format", text => Choice<ValueFormat>("--value-format", text), Store.ValueFormat.Json, "KSR_VALUE_FORMAT");
        Resources = Value("--resources", ParseResources, ResourceKind.All, "KSR_RESOURCES");
        ResyncInterval = Value("--resync-interval", ParseInterval, TimeSpan.FromMinutes(10), "KSR_RESYNC_INTERVAL");
        LogLevel = Value("--log-level", ParseLogLevel, LogLevelSwitches.DefaultLevel, "KSR_LOG_LEVEL");
        LeaseNamespace = Text("--lease-namespace", "POD_NAMESPACE");
        LeaseName = Text("--lease-name");
        LeaderElect = new Option<bool>("--leader-elect", "-leader-elect")
        {
            DefaultValueFactory = _ => string.Equals(environment("KSR_LEADER_ELECT"), "true", StringComparison.OrdinalIgnoreCase),
        };

        root.Options.Clear();
        foreach (var option in new Option[]
        {
            EtcdConfig, StoreConfig, HttpConfig, KubeConfig, KeyLayout, ValueFormat, Resources, ResyncInterval, LogLevel, LeaderElect, LeaseNamespace, LeaseName,
            new HelpOption("--help", "-h", "-help"),
        })
        {
            root.Add(option);
        }
    }

    public Option<string?> EtcdConfig { get; }

    public Option<string?> StoreConfig { get; }

    public Option<string?> HttpConfig { get; }

    public Option<string?> KubeConfig { get; }

    public Option<KeyLayoutKind> KeyLayout { get; }

    public Option<ValueFormat> ValueFormat { get; }

    public Option<IReadOnlyList<ResourceKind>> Resources { get; }

    public Option<TimeSpan> ResyncInterval { get; }

    public Option<string> LogLevel { get; }

    public Option<bool> LeaderElect { get; }

    public Option<string?> LeaseNamespace { get; }

    public Option<string?> LeaseName { get; }

    /// <summary>Whether the arguments ask for the usage text (whatever else they hold).</summary>
    public bool WantsHelp(IReadOnlyList<string> args) => root.Parse(args).Action is HelpAction;

    /// <exception cref="ConfigException">The first problem: an unknown argument, a flag without its value, a bad value.</exception>
    public ParseResult Parse(IReadOnlyList<string> args)
    {
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            throw new ConfigException(Describe(result, result.Errors[0]));
        }

        return result;
    }

    private static string Describe(ParseResult result, ParseError error) => error.SymbolResult switch
    {
        OptionResult { Tokens.Count: 0, Implicit: false, Option: var option } => $"{option.Name} needs a value",
        OptionResult => error.Message,
        _ when result.UnmatchedTokens.Count > 0 => Unmatched(result, result.UnmatchedTokens[0]),
        _ => error.Message,
    };

    /// <summary>A stray argument; after a boolean flag it was meant as that flag's value.</summary>
    private static string Unmatched(ParseResult result, string token)
    {
        var at = result.Tokens.ToList().FindIndex(t => t.Type == TokenType.Argument && t.Value == token);
        return at > 0 && result.Tokens[at - 1] is { Type: TokenType.Option, Value: var flag } && result.RootCommandResult.Command.Options.Any(o => o.ValueType == typeof(bool) && (o.Name == flag || o.Aliases.Contains(flag)))
            ? $"--{flag.TrimStart('-')} takes true or false, not '{token}'"
            : $"unknown argument '{token}' (see --help)";
    }

    private Option<string?> Text(string name, params string[] variables) =>
        Value<string?>(name, text => text, null, variables);

    /// <summary>A flag whose value <paramref name="convert"/> checks (throwing <see cref="ConfigException"/>), from the command line or else the first set variable.</summary>
    private Option<T> Value<T>(string name, Func<string, T> convert, T fallback, params string[] variables) => new(name, "-" + name.TrimStart('-'))
    {
        Arity = ArgumentArity.OneOrMore,
        CustomParser = result => Convert(result, result.Tokens[^1].Value, convert, fallback),
        DefaultValueFactory = result => variables.Select(environment).FirstOrDefault(value => !string.IsNullOrEmpty(value)) is { } value
            ? Convert(result, value, convert, fallback)
            : fallback,
    };

    private static T Convert<T>(ArgumentResult result, string text, Func<string, T> convert, T fallback)
    {
        try
        {
            return convert(text);
        }
        catch (ConfigException e)
        {
            result.AddError(e.Message);
            return fallback;
        }
    }

    private static T Choice<T>(string flag, string text)
        where T : struct, Enum =>
        Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(text, out _)
            ? value
            : throw new ConfigException($"{flag} '{text}' must be one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");

    private static IReadOnlyList<ResourceKind> ParseResources(string text)
    {
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.ToLowerInvariant())
            .ToList();
        if (names.Count == 0 || names.Any(name => ResourceKind.Find(name) is null))
        {
            throw new ConfigException($"--resources '{text}': expected a comma-separated subset of {string.Join(",", ResourceKind.All)}");
        }

        // Keep the table's order whatever order they were given in.
        return [.. ResourceKind.All.Where(kind => names.Contains(kind.Name))];
    }

    private static TimeSpan ParseInterval(string text) =>
        ConfigDuration.TryParse(text, out var interval) && interval > TimeSpan.Zero
            ? interval
            : throw new ConfigException($"--resync-interval '{text}' must be a positive duration such as 10m or 30s");

    private static string ParseLogLevel(string text) =>
        LogLevelSwitches.IsKnownLevel(text)
            ? text
            : throw new ConfigException($"--log-level '{text}' must be one of {string.Join(", ", LogLevelSwitches.LevelNames)}");
}
