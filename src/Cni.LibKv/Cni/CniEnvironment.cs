namespace ContivKsr.Cni.Cni;

/// <summary>The CNI_* variables the runtime set, checked as the spec asks for the verb at hand.</summary>
public sealed record CniEnvironment
{
    public required CniCommand Command { get; init; }

    public string? ContainerId { get; init; }

    public string? Netns { get; init; }

    public string? IfName { get; init; }

    /// <summary>CNI_ARGS exactly as given, for passing on to delegates.</summary>
    public string? RawArgs { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Args { get; init; } = [];

    /// <summary>CNI_PATH exactly as given, for passing on to delegates.</summary>
    public string? RawPath { get; init; }

    public IReadOnlyList<string> Path { get; init; } = [];

    /// <summary>A CNI_ARGS entry by key (case-sensitive, as runtimes write them).</summary>
    public string? Arg(string key)
    {
        foreach (var (name, value) in Args)
        {
            if (name == key)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Reads and checks the environment for <paramref name="command"/>.</summary>
    /// <exception cref="CniException">Code 4 for a missing or malformed variable.</exception>
    public static CniEnvironment Read(CniCommand command, Func<string, string?> variable)
    {
        var needsContainer = command is CniCommand.Add or CniCommand.Del or CniCommand.Check;
        var containerId = Optional(variable, "CNI_CONTAINERID");
        var netns = Optional(variable, "CNI_NETNS");
        var ifName = Optional(variable, "CNI_IFNAME");
        var path = Optional(variable, "CNI_PATH");
        var args = Optional(variable, "CNI_ARGS");

        if (needsContainer)
        {
            Require("CNI_CONTAINERID", containerId);
            Require("CNI_IFNAME", ifName);
            if (command != CniCommand.Del)
            {
                Require("CNI_NETNS", netns);
            }
        }

        if (command is CniCommand.Add or CniCommand.Del or CniCommand.Check or CniCommand.Gc)
        {
            Require("CNI_PATH", path);
        }

        if (containerId is not null && !CniNames.IsValidContainerId(containerId))
        {
            throw new CniException(CniErrorCode.InvalidEnvironment,
                $"invalid CNI_CONTAINERID '{containerId}': it must start with a letter or digit and hold only letters, digits, '_', '.' and '-'");
        }

        if (ifName is not null && CniNames.InterfaceNameProblem(ifName) is { } problem)
        {
            throw new CniException(CniErrorCode.InvalidEnvironment, $"invalid CNI_IFNAME '{ifName}': {problem}");
        }

        return new CniEnvironment
        {
            Command = command,
            ContainerId = containerId,
            Netns = netns,
            IfName = ifName,
            RawArgs = args,
            Args = ParseArgs(args),
            RawPath = path,
            Path = (path ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries),
        };
    }

    private static IReadOnlyList<KeyValuePair<string, string>> ParseArgs(string? args)
    {
        if (string.IsNullOrEmpty(args))
        {
            return [];
        }

        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var pair in args.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CniException(CniErrorCode.InvalidEnvironment,
                    $"invalid CNI_ARGS entry '{pair}': expected KEY=VALUE pairs separated by ';'");
            }

            pairs.Add(new(pair[..equals], pair[(equals + 1)..]));
        }

        return pairs;
    }

    private static string? Optional(Func<string, string?> variable, string name)
    {
        var value = variable(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static void Require(string name, string? value)
    {
        if (value is null)
        {
            throw new CniException(CniErrorCode.InvalidEnvironment, $"{name} is not set");
        }
    }
}
