using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using static ContivKsr.Cni.Cni.Exec.LibC;

namespace ContivKsr.Cni.Cni.Exec;

/// <summary>How a <see cref="ChildProcess.Run"/> ended.</summary>
/// <param name="ExitCode">The exit status, or 128 + signal number when a signal ended it (as .NET's Process reports it).</param>
/// <param name="TimedOut">The deadline passed: the child's process group was killed and <paramref name="ExitCode"/> is meaningless.</param>
internal sealed record ChildOutcome(int ExitCode, byte[] Stdout, bool TimedOut);

/// <summary>
/// Runs one program to completion: <c>stdin</c> fed from a buffer, stdout collected, stderr shared
/// with ours. It replaces System.Diagnostics.Process, which in a short-lived binary starts a
/// SIGCHLD handling thread and terminal set-up, and needed a timer thread for the deadline
/// (measured: 0.5–0.7 ms per ADD+DEL, two starts). Here it is one posix_spawn (vfork + exec in
/// glibc, safe in a multithreaded process, unlike a managed fork) and a poll loop on this thread.
///
/// The child starts in a process group of its own, with every signal at its default disposition
/// and nothing blocked. When the deadline passes, the whole group gets SIGKILL (the delegate and
/// anything it started that stayed in its group) and the child is reaped, so no zombie is left.
/// </summary>
internal static unsafe class ChildProcess
{
    /// <summary>pidfd_open is missing (Linux before 5.3): look at the child this often instead.</summary>
    private const int FallbackPollMilliseconds = 1;

    /// <exception cref="IOException">The program could not be started (the message says why).</exception>
    public static ChildOutcome Run(string path, IReadOnlyDictionary<string, string> environment, ReadOnlySpan<byte> stdin, DateTime deadline)
    {
        // Writing to a delegate that exited without reading its stdin must give EPIPE, not kill us.
        // Idempotent; .NET ignores SIGPIPE itself once its console or process code is initialised.
        signal(SIGPIPE, 1 /* SIG_IGN */);

        var stdinPipe = stackalloc int[2];
        var stdoutPipe = stackalloc int[2];
        Check(pipe2(stdinPipe, O_CLOEXEC), "pipe2");
        if (pipe2(stdoutPipe, O_CLOEXEC) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            close(stdinPipe[0]);
            close(stdinPipe[1]);
            throw Failure("pipe2", error);
        }

        int pid;
        try
        {
            pid = Spawn(path, environment, stdinPipe[0], stdoutPipe[1]);
        }
        catch
        {
            close(stdinPipe[1]);
            close(stdoutPipe[0]);
            throw;
        }
        finally
        {
            // The child's ends: it has its own copies now (or never will).
            close(stdinPipe[0]);
            close(stdoutPipe[1]);
        }

        return Exchange(pid, stdinPipe[1], stdoutPipe[0], stdin, deadline);
    }

    private static int Spawn(string path, IReadOnlyDictionary<string, string> environment, int stdinFd, int stdoutFd)
    {
        var fileActions = NativeMemory.AllocZeroed(OpaqueSize);
        var attributes = NativeMemory.AllocZeroed(OpaqueSize);
        var signals = NativeMemory.AllocZeroed(OpaqueSize);
        var strings = new List<nint>(environment.Count + 2);
        try
        {
            Check0(posix_spawn_file_actions_init(fileActions), "posix_spawn_file_actions_init");
            Check0(posix_spawnattr_init(attributes), "posix_spawnattr_init");
            try
            {
                // dup2 clears close-on-exec on 0 and 1; every pipe end we hold is O_CLOEXEC.
                Check0(posix_spawn_file_actions_adddup2(fileActions, stdinFd, 0), "posix_spawn_file_actions_adddup2");
                Check0(posix_spawn_file_actions_adddup2(fileActions, stdoutFd, 1), "posix_spawn_file_actions_adddup2");
                Check0(posix_spawnattr_setflags(attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK),
                    "posix_spawnattr_setflags");
                Check0(posix_spawnattr_setpgroup(attributes, 0), "posix_spawnattr_setpgroup");
                sigfillset(signals);
                Check0(posix_spawnattr_setsigdefault(attributes, signals), "posix_spawnattr_setsigdefault");
                sigemptyset(signals);
                Check0(posix_spawnattr_setsigmask(attributes, signals), "posix_spawnattr_setsigmask");

                var pathString = Utf8(path, strings);
                var argv = stackalloc byte*[2] { pathString, null };
                var envp = (byte**)NativeMemory.Alloc((nuint)(environment.Count + 1), (nuint)sizeof(byte*));
                strings.Add((nint)envp);
                var i = 0;
                foreach (var (name, value) in environment)
                {
                    envp[i++] = Utf8(name + "=" + value, strings);
                }

                envp[i] = null;

                int pid;
                var error = posix_spawn(&pid, pathString, fileActions, attributes, argv, envp);
                return error == 0 ? pid : throw Failure("posix_spawn", error);
            }
            finally
            {
                posix_spawn_file_actions_destroy(fileActions);
                posix_spawnattr_destroy(attributes);
            }
        }
        finally
        {
            foreach (var s in strings)
            {
                NativeMemory.Free((void*)s);
            }

            NativeMemory.Free(fileActions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(signals);
        }
    }

    /// <summary>Feeds stdin, drains stdout and waits for the exit, all until the deadline.</summary>
    private static ChildOutcome Exchange(int pid, int stdinFd, int stdoutFd, ReadOnlySpan<byte> stdin, DateTime deadline)
    {
        var output = new ArrayBufferWriter<byte>(4096);
        var exitStatus = 0;
        var reaped = false;
        var pidFd = (int)syscall(SYS_pidfd_open, pid, 0);
        try
        {
            // Non-blocking on our end only (each pipe end is its own open file description), so a
            // delegate that never reads a large config cannot block us past the deadline.
            fcntl(stdinFd, F_SETFL, fcntl(stdinFd, F_GETFL, 0) | O_NONBLOCK);
            var written = 0;
            if (stdin.IsEmpty)
            {
                CloseOnce(ref stdinFd);
            }

            var fds = stackalloc PollFd[3];
            while (!reaped || stdoutFd >= 0)
            {
                var remaining = (deadline - DateTime.UtcNow).TotalMilliseconds;
                if (remaining <= 0)
                {
                    KillAndReap(pid, ref reaped);
                    return new ChildOutcome(-1, output.WrittenSpan.ToArray(), TimedOut: true);
                }

                var timeout = (int)Math.Min(Math.Ceiling(remaining), int.MaxValue);
                if (pidFd < 0 && !reaped)
                {
                    timeout = Math.Min(timeout, FallbackPollMilliseconds);
                }

                // A negative fd is skipped by poll, so the slots keep their meaning.
                fds[0] = new PollFd { Fd = stdinFd, Events = POLLOUT };
                fds[1] = new PollFd { Fd = stdoutFd, Events = POLLIN };
                fds[2] = new PollFd { Fd = reaped ? -1 : pidFd, Events = POLLIN };
                if (poll(fds, 3, timeout) < 0)
                {
                    var error = Marshal.GetLastPInvokeError();
                    if (error == EINTR)
                    {
                        continue;
                    }

                    KillAndReap(pid, ref reaped);
                    throw Failure("poll", error);
                }

                if (fds[0].Revents != 0)
                {
                    WriteSome(ref stdinFd, stdin, ref written);
                }

                if (fds[1].Revents != 0)
                {
                    ReadSome(ref stdoutFd, output);
                }

                if (!reaped && (pidFd < 0 || fds[2].Revents != 0))
                {
                    TryReap(pid, WNOHANG, ref reaped, ref exitStatus);
                }
            }

            var exitCode = Exited(exitStatus) ? ExitCode(exitStatus) : 128 + TermSignal(exitStatus);
            return new ChildOutcome(exitCode, output.WrittenSpan.ToArray(), TimedOut: false);
        }
        finally
        {
            if (!reaped)
            {
                KillAndReap(pid, ref reaped);
            }

            CloseOnce(ref stdinFd);
            CloseOnce(ref stdoutFd);
            CloseOnce(ref pidFd);
        }
    }

    private static void WriteSome(ref int fd, ReadOnlySpan<byte> data, ref int written)
    {
        fixed (byte* start = data)
        {
            var n = write(fd, start + written, data.Length - written);
            if (n < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                if (error is EINTR or EAGAIN)
                {
                    return;
                }

                // EPIPE or worse: the child stopped reading; its exit status tells the rest.
                CloseOnce(ref fd);
                return;
            }

            written += (int)n;
        }

        if (written == data.Length)
        {
            CloseOnce(ref fd);
        }
    }

    private static void ReadSome(ref int fd, ArrayBufferWriter<byte> output)
    {
        var span = output.GetSpan(4096);
        fixed (byte* buffer = span)
        {
            var n = read(fd, buffer, span.Length);
            if (n > 0)
            {
                output.Advance((int)n);
            }
            else if (n == 0 || Marshal.GetLastPInvokeError() is not (EINTR or EAGAIN))
            {
                CloseOnce(ref fd);
            }
        }
    }

    private static void TryReap(int pid, int options, ref bool reaped, ref int exitStatus)
    {
        int status;
        int result;
        do
        {
            result = waitpid(pid, &status, options);
        }
        while (result < 0 && Marshal.GetLastPInvokeError() == EINTR);

        if (result == pid)
        {
            reaped = true;
            exitStatus = status;
        }
        else if (result < 0)
        {
            // ECHILD: somebody else reaped it (nothing in libkv does); there is nothing left to wait for.
            reaped = true;
            exitStatus = 0xff00;
        }
    }

    private static void KillAndReap(int pid, ref bool reaped)
    {
        // The group first (the delegate and what it started), then the child itself in case it left
        // the group; SIGKILL cannot be ignored, so the blocking wait ends promptly.
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
        var ignored = 0;
        TryReap(pid, 0, ref reaped, ref ignored);
    }

    private static void CloseOnce(ref int fd)
    {
        if (fd >= 0)
        {
            close(fd);
            fd = -1;
        }
    }

    private static byte* Utf8(string text, List<nint> allocations)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        var bytes = (byte*)NativeMemory.Alloc((nuint)length + 1);
        allocations.Add((nint)bytes);
        Encoding.UTF8.GetBytes(text, new Span<byte>(bytes, length));
        bytes[length] = 0;
        return bytes;
    }

    private static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw Failure(call, Marshal.GetLastPInvokeError());
        }
    }

    private static void Check0(int error, string call)
    {
        if (error != 0)
        {
            throw Failure(call, error);
        }
    }

    private static IOException Failure(string call, int error) =>
        new($"{call}: {Marshal.GetPInvokeErrorMessage(error)}", error);
}
