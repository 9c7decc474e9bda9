namespace ContivKsr.Cni.Cni;

/// <summary>
/// What a plugin implements; <see cref="CniSkel"/> owns everything else (environment, stdin, version
/// checks, error printing), like containernetworking's skel package.
/// Throw <see cref="CniException"/> to fail with a spec error code.
/// </summary>
public interface ICniPlugin
{
    /// <returns>The result to print, already in the request's cniVersion.</returns>
    Task<byte[]> AddAsync(CniRequest request);

    Task DelAsync(CniRequest request);

    Task CheckAsync(CniRequest request);

    Task GcAsync(CniRequest request);

    Task StatusAsync(CniRequest request);

    /// <summary>Records an unexpected failure somewhere useful (a log file); the user gets the error JSON.</summary>
    void ReportUnexpected(Exception exception);
}
