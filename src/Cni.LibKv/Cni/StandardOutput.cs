using System.Runtime.InteropServices;
using ContivKsr.Cni.Cni.Exec;

namespace ContivKsr.Cni.Cni;

/// <summary>
/// File descriptor 1 as a write-only stream, written with write(2) and nothing else.
/// </summary>
/// <remarks>
/// Console's stdout stream initialises terminal and signal handling on its first write, which starts
/// a signal-handling thread (with its start-up handshake) in a process that writes one line and
/// exits. Like Console, a reader that has gone away (EPIPE) or a closed stdout (EBADF) drops the
/// output silently: nobody is left to read a result, and a CNI plugin must not die with a trace.
/// </remarks>
public sealed unsafe class StandardOutput : Stream
{
    private const int Fd = 1;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            var written = 0;
            while (written < buffer.Length)
            {
                var n = LibC.write(Fd, start + written, buffer.Length - written);
                if (n >= 0)
                {
                    written += (int)n;
                    continue;
                }

                var error = Marshal.GetLastPInvokeError();
                if (error == LibC.EINTR)
                {
                    continue;
                }

                if (error is LibC.EPIPE or LibC.EBADF)
                {
                    return;
                }

                throw new IOException($"cannot write to stdout: {Marshal.GetPInvokeErrorMessage(error)}");
            }
        }
    }

    public override void Flush()
    {
        // Unbuffered: every Write is already a write(2).
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
