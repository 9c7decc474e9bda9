using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ContivKsr.TestSupport;

/// <summary>
/// Runs code on a thread of its own that has entered another network namespace, so that sockets it
/// creates belong to that namespace (a socket keeps its namespace for life, whichever thread uses it
/// later). The thread ends afterwards, so no other code ever runs in the namespace.
/// </summary>
public static partial class NetworkNamespaceThread
{
    private const int CloneNewNet = 0x40000000;

    public static T Run<T>(string namespacePath, Func<T> action)
    {
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var target = File.OpenHandle(namespacePath);
                if (SetNamespace(target, CloneNewNet) != 0)
                {
                    throw new IOException($"setns({namespacePath}) failed: errno {Marshal.GetLastPInvokeError()}");
                }

                result = action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? result! : throw new InvalidOperationException($"in network namespace {namespacePath}: {failure.Message}", failure);
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNamespace(SafeFileHandle fd, int nstype);
}
