namespace ContivKsr.Cni.Cni;

/// <summary>
/// What a plugin implements; <see cref="CniSkel"/> owns everything else (environment, stdin, version
/// checks, error printing), like containernetworking's skel package.
/// Throw <see cref="CniException"/> to fail with a spec error code. Synchronous on purpose: a
/// plugin is a short-lived single-threaded process, and async I/O on console streams and pipes
/// would start thread-pool threads that cost more start-up time than the work itself.
/// </summary>
public interface ICniPlugin
{
    /// <returns>The result to print, already in the request's cniVersion.</returns>
    byte[] Add(CniRequest request);

    void Del(CniRequest request);

    void Check(CniRequest request);

    void Gc(CniRequest request);

    void Status(CniRequest request);

    /// <summary>Records an unexpected failure somewhere useful (a log file); the user gets the error JSON.</summary>
    void ReportUnexpected(Exception exception);
}
