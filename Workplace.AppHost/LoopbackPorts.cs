using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Workplace.AppHost;

/// <summary>Ports the AppHost picks itself, for the endpoints DCP does not proxy (redis-server, mcpapi, emulators).</summary>
internal static class LoopbackPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// The port a setting such as <c>WORKPLACE_MCPAPI_PORT</c> names: unset, <paramref name="preferred"/> when free (else any
    /// free port); 0, any free port.
    /// </summary>
    public static int FromSetting(string key, string? configured, int? preferred = null)
    {
        if (string.IsNullOrEmpty(configured))
        {
            return preferred is { } port && IsFree(port) ? port : Free();
        }
        if (!int.TryParse(configured, NumberStyles.None, CultureInfo.InvariantCulture, out var chosen) || chosen > 65535)
        {
            throw new ArgumentException($"{key} must be a TCP port number (1-65535, or 0 for any free port), not \"{configured}\".");
        }
        return chosen == 0 ? Free() : chosen;
    }
}
