using System.Text.Encodings.Web;
using System.Text.Json;

namespace ContivKsr.TestSupport.FakeKube;

/// <summary>JSON output settings shared by everything the fake writes.</summary>
internal static class KubeJson
{
    /// <summary>
    /// Kubernetes JSON is never embedded in HTML: keep '"' as \" and '+', '&lt;', non-ASCII as written,
    /// like the Go encoder of the real server, rather than System.Text.Json's \u0022 style.
    /// </summary>
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static readonly JsonSerializerOptions SerializerOptions = new() { Encoder = Encoder };
}
