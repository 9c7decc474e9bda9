using ContivKsr.Ksr.Api;
using Microsoft.Extensions.Logging;

namespace ContivKsr.Ksr.Tests.Api;

public sealed class LogLevelSwitchesTests
{
    [Fact]
    public void ChangingALevelChangesWhatThatLoggerLogsAndNoOther()
    {
        var switches = new LogLevelSwitches(["ksr-pod", "ksr-policy"]);
        var capture = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(builder => KsrLogging.Configure(builder, switches, capture));
        var pod = factory.CreateLogger("ksr-pod");
        var policy = factory.CreateLogger("ksr-policy");

        pod.LogDebug("pod debug 1");
        switches.Set("ksr-pod", "debug");
        pod.LogDebug("pod debug 2");
        policy.LogDebug("policy debug");
        switches.Set("ksr-pod", "error");
        pod.LogWarning("pod warning");
        pod.LogError("pod error");

        Assert.Equal(["ksr-pod: pod debug 2", "ksr-pod: pod error"], capture.Lines);
    }

    [Fact]
    public void UnknownLoggersAndLevelsAreRejected()
    {
        var switches = new LogLevelSwitches(["ksr-pod"]);

        Assert.Throws<KeyNotFoundException>(() => switches.Set("ksr-secret", "debug"));
        Assert.Throws<ArgumentException>(() => switches.Set("ksr-pod", "verbose"));
        Assert.Equal([("ksr-pod", "info")], switches.List());
        Assert.Equal(["debug", "info", "warning", "error", "fatal", "panic"], LogLevelSwitches.LevelNames);
    }
}
