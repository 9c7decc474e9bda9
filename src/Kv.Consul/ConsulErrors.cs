using System.Globalization;
using System.Net;

namespace ContivKsr.Kv.Consul;

/// <summary>Maps Consul's HTTP answers to the typed store errors, keeping the status as BackendCode.</summary>
internal static class ConsulErrors
{
    /// <summary>The error for an answer that the caller did not expect (any status not handled by it).</summary>
    public static KvException FromResponse(ConsulResponse response, string what)
    {
        var status = (int)response.Status;
        var code = status.ToString(CultureInfo.InvariantCulture);
        var detail = response.BodyText.Length > 0 ? response.BodyText : response.Status.ToString();
        var message = $"Consul refused to {what}: HTTP {status}: {detail}";
        return response.Status switch
        {
            HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized => new KvAccessDeniedException(message) { BackendCode = code },
            // A server without a raft leader (or a datacenter it cannot forward to) is as good as down.
            _ when status >= 500 && IsClusterUnavailable(detail) => new KvNotReachableException(message) { BackendCode = code },
            _ => new KvException(message) { BackendCode = code },
        };
    }

    /// <summary>Throws unless the answer is a 2xx.</summary>
    public static ConsulResponse EnsureSuccess(this ConsulResponse response, string what) =>
        response.IsSuccess ? response : throw FromResponse(response, what);

    private static bool IsClusterUnavailable(string detail) =>
        detail.Contains("No cluster leader", StringComparison.OrdinalIgnoreCase)
        || detail.Contains("No path to datacenter", StringComparison.OrdinalIgnoreCase)
        || detail.Contains("rpc error", StringComparison.OrdinalIgnoreCase);
}
