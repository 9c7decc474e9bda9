using System.Runtime.InteropServices;

namespace ContivKsr.Cni.Cni.Exec;

/// <summary>
/// The few glibc calls <see cref="ChildProcess"/> needs, as source-generated P/Invoke (no runtime
/// marshalling stubs, Native AOT friendly). Constants are Linux's (x86-64 and arm64 agree on all of
/// them). Opaque glibc structures are handled as generously sized native buffers.
/// </summary>
internal static unsafe partial class LibC
{
    private const string Library = "libc";

    public const int EINTR = 4;
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int EPIPE = 32;

    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;
    public const int F_GETFL = 3;
    public const int F_SETFL = 4;

    public const short POLLIN = 0x1;
    public const short POLLOUT = 0x4;
    public const short POLLERR = 0x8;
    public const short POLLHUP = 0x10;
    public const short POLLNVAL = 0x20;

    public const int WNOHANG = 1;
    public const int SIGKILL = 9;
    public const int SIGPIPE = 13;

    public const short POSIX_SPAWN_SETPGROUP = 0x02;
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;

    /// <summary>pidfd_open(2): a descriptor that polls readable when the process exits (Linux 5.3+).</summary>
    public const long SYS_pidfd_open = 434;

    /// <summary>Larger than glibc's posix_spawnattr_t (336 bytes), posix_spawn_file_actions_t (80) and sigset_t (128).</summary>
    public const int OpaqueSize = 512;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(Library, SetLastError = true)]
    public static partial int pipe2(int* fds, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int fcntl(int fd, int command, int argument);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint read(int fd, byte* buffer, nint count);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int kill(int pid, int signal);

    /// <summary>syscall(2) with two integer arguments (glibc's pidfd_open wrapper needs glibc 2.36).</summary>
    [LibraryImport(Library, SetLastError = true)]
    public static partial long syscall(long number, long argument1, long argument2);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint signal(int signal, nint handler);

    [LibraryImport(Library)]
    public static partial int sigemptyset(void* set);

    [LibraryImport(Library)]
    public static partial int sigfillset(void* set);

    // The posix_spawn family returns an error number instead of setting errno.
    [LibraryImport(Library)]
    public static partial int posix_spawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_init(void* fileActions);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_adddup2(void* fileActions, int fd, int newFd);

    [LibraryImport(Library)]
    public static partial int posix_spawn_file_actions_destroy(void* fileActions);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_init(void* attributes);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_setflags(void* attributes, short flags);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_setpgroup(void* attributes, int processGroup);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_setsigdefault(void* attributes, void* set);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_setsigmask(void* attributes, void* set);

    [LibraryImport(Library)]
    public static partial int posix_spawnattr_destroy(void* attributes);

    /// <summary>Exited normally: WIFEXITED.</summary>
    public static bool Exited(int status) => (status & 0x7f) == 0;

    /// <summary>WEXITSTATUS.</summary>
    public static int ExitCode(int status) => (status >> 8) & 0xff;

    /// <summary>WTERMSIG.</summary>
    public static int TermSignal(int status) => status & 0x7f;
}
