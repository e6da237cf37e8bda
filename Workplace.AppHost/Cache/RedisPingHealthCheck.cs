using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Workplace.AppHost.Cache;

/// <summary>
/// PING over a plain socket. The AppHost needs only "does it answer", and a Redis client here would have to match the
/// StackExchange.Redis version the services pin, which AspNetCore.HealthChecks.Redis was not built against.
/// </summary>
internal sealed class RedisPingHealthCheck(int port) : IHealthCheck
{
    private static readonly byte[] s_ping = Encoding.ASCII.GetBytes("PING\r\n");

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync(s_ping, cancellationToken);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, cancellationToken);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("redis-server answered PING with something other than PONG.");
        }
        catch (SocketException e)
        {
            return HealthCheckResult.Unhealthy($"redis-server does not accept connections on 127.0.0.1:{port}.", e);
        }
    }
}
