using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Workplace.Tests.Infrastructure;

/// <summary>A real redis-server from PATH on a free loopback port, in memory only, for tests that host a service themselves.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private RedisServer(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        _directory = directory;
    }

    public int Port { get; }

    /// <summary>The value of <c>ConnectionStrings__cache</c>.</summary>
    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    /// <summary>Starts redis-server and returns once it answers PING; <paramref name="port"/> 0 picks a free one.</summary>
    public static async Task<RedisServer> StartAsync(int port = 0)
    {
        var directory = Directory.CreateTempSubdirectory("workplace-redis-").FullName;
        port = port == 0 ? FreeLoopbackPort() : port;
        var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", directory, "--save", "", "--appendonly", "no"])
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start: install it (sudo apt-get install redis-server).");
        var server = new RedisServer(process, port, directory);
        try
        {
            await Poll.UntilAsync(async () => process.HasExited ? throw new InvalidOperationException($"redis-server exited: {await process.StandardOutput.ReadToEndAsync()}") : await server.PingAsync(),
                TimeSpan.FromSeconds(15), $"redis-server to answer PING on port {port}");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async Task<bool> PingAsync()
    {
        try
        {
            return (await CommandAsync("PING")).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return false;
        }
    }

    /// <summary>How many keys the server holds (DBSIZE).</summary>
    public async Task<long> KeyCountAsync()
    {
        var reply = await CommandAsync("DBSIZE");
        Assert.StartsWith(":", reply, StringComparison.Ordinal);
        return long.Parse(reply[1..].Trim(), CultureInfo.InvariantCulture);
    }

    // One inline command and the first chunk of its reply: enough for the short replies tests ask for.
    private async Task<string> CommandAsync(string command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
        var buffer = new byte[64];
        var read = await stream.ReadAsync(buffer);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    // Tests stop a server mid-test to simulate an outage, and their fixture stops it again.
    public async ValueTask DisposeAsync()
    {
        if (!Directory.Exists(_directory))
        {
            return;
        }
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
