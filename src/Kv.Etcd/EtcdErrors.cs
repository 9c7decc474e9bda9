using ContivKsr.Kv.Etcd.Core;
using Grpc.Core;

namespace ContivKsr.Kv.Etcd;

/// <summary>Maps gRPC failures to the typed Kv* exceptions, keeping the RpcException as the inner cause.</summary>
internal static class EtcdErrors
{
    // etcd's own messages (etcdserver/api/v3rpc/rpctypes), matched because their status codes are shared.
    private const string InvalidAuthToken = "invalid auth token";
    private const string AuthFailed = "authentication failed";
    private const string UserEmpty = "user name is empty";
    private const string Compacted = "required revision has been compacted";

    public static bool IsExpiredToken(RpcException e) =>
        e.StatusCode == StatusCode.Unauthenticated && e.Status.Detail.Contains(InvalidAuthToken, StringComparison.Ordinal);

    /// <summary>The HTTP/2 connection could not be opened, so the request was never sent.</summary>
    public static bool IsConnectFailure(RpcException e) =>
        e.StatusCode == StatusCode.Unavailable
        && e.Status.DebugException is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError };

    public static bool IsCompacted(RpcException e) =>
        e.StatusCode == StatusCode.OutOfRange && e.Status.Detail.Contains(Compacted, StringComparison.Ordinal);

    public static bool IsCompacted(KvException e) => e.InnerException is RpcException rpc && IsCompacted(rpc);

    /// <param name="connected">Whether the channel had a live connection when the call failed (tells "no answer" from "no connection").</param>
    public static KvException Map(RpcException e, EtcdEndpoints endpoints, TimeSpan timeout, bool connected) => e.StatusCode switch
    {
        StatusCode.DeadlineExceeded => new KvNotReachableException(
            $"etcd at {endpoints} not reachable within {timeout.TotalSeconds:0.###} s ({(connected ? "connected, but no answer in time" : "no connection could be opened")})", e)
        {
            BackendCode = e.StatusCode.ToString(),
        },
        StatusCode.Unavailable => new KvNotReachableException(
            $"etcd at {endpoints} not reachable within {timeout.TotalSeconds:0.###} s ({Describe(e)})", e)
        {
            BackendCode = e.StatusCode.ToString(),
        },
        // The HTTP/2 connection broke before etcd answered (e.g. plaintext against a TLS port): no etcd to talk to.
        StatusCode.Internal when e.Status.DebugException is HttpRequestException => new KvNotReachableException(
            $"etcd at {endpoints} not reachable ({Describe(e)})", e)
        {
            BackendCode = e.StatusCode.ToString(),
        },
        StatusCode.Unauthenticated or StatusCode.PermissionDenied => new KvAccessDeniedException($"etcd refused access: {Describe(e)}", e)
        {
            BackendCode = e.StatusCode.ToString(),
        },
        StatusCode.InvalidArgument when e.Status.Detail.Contains(AuthFailed, StringComparison.Ordinal)
            || e.Status.Detail.Contains(UserEmpty, StringComparison.Ordinal) => new KvAccessDeniedException($"etcd refused access: {Describe(e)}", e)
        {
            BackendCode = e.StatusCode.ToString(),
        },
        _ => new KvException($"etcd error: {Describe(e)}", e) { BackendCode = e.StatusCode.ToString() },
    };

    private static string Describe(RpcException e)
    {
        var detail = string.IsNullOrEmpty(e.Status.Detail) ? e.StatusCode.ToString() : e.Status.Detail;
        // Connection failures hide the useful part (refused, TLS, DNS) in the inner exception.
        var cause = e.Status.DebugException?.InnerException?.Message ?? e.Status.DebugException?.Message;
        return cause is null || detail.Contains(cause, StringComparison.Ordinal) ? detail : $"{detail}: {cause}";
    }
}
