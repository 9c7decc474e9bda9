using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace ContivKsr.Kv.EtcdGateway;

/// <summary>
/// The TCP connection of <see cref="EtcdGatewayReader"/>'s HttpClient, made on the calling thread.
/// SocketsHttpHandler's own connect is asynchronous: it starts the socket engine's epoll thread,
/// and a deadline needs a timer thread; a short-lived process pays for both on every run. Here the
/// connect is non-blocking with a poll for the deadline, and the socket's send and receive timeouts
/// bound every later read and write (TLS handshake included), so no timer is needed either.
/// </summary>
internal static class GatewayConnector
{
    /// <exception cref="SocketException">No address of the endpoint accepted the connection in time.</exception>
    public static ValueTask<Stream> Connect(SocketsHttpConnectionContext context, TimeSpan timeout)
    {
        var endPoint = context.DnsEndPoint;
        // An address literal (the usual 127.0.0.1:2379) needs no resolver.
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal) ? [literal] : Dns.GetHostAddresses(endPoint.Host);
        var milliseconds = (int)Math.Clamp(timeout.TotalMilliseconds, 1, int.MaxValue);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                ConnectWithin(socket, new IPEndPoint(address, endPoint.Port), timeout);
                socket.ReceiveTimeout = milliseconds;
                socket.SendTimeout = milliseconds;
                return ValueTask.FromResult<Stream>(new NetworkStream(socket, ownsSocket: true));
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    private static void ConnectWithin(Socket socket, IPEndPoint endPoint, TimeSpan timeout)
    {
        socket.Blocking = false;
        try
        {
            socket.Connect(endPoint);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            if (!socket.Poll(timeout, SelectMode.SelectWrite))
            {
                throw new SocketException((int)SocketError.TimedOut);
            }

            if (socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error) is int error and not 0)
            {
                throw new SocketException(error);
            }
        }

        socket.Blocking = true;
        if (!socket.Connected)
        {
            throw new SocketException((int)SocketError.NotConnected);
        }
    }
}
