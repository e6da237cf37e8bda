using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Workplace.Tests.ServiceDefaults;

/// <summary>A real HTTP server on loopback that answers each path from a script, then 200; it records every hit.</summary>
public sealed class FlakyServer : IAsyncDisposable
{
    public sealed record Reply(int Status, string? RetryAfter = null, TimeSpan Delay = default);

    public sealed record Hit(string Method, string Path, long Timestamp);

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Reply>> _scripts = new();
    private readonly ConcurrentDictionary<string, Reply> _always = new();
    private readonly ConcurrentQueue<Hit> _hits = new();

    private FlakyServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<FlakyServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new FlakyServer(builder.Build());
        server._app.Run(server.HandleAsync);
        await server._app.StartAsync();
        var address = server._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.BaseAddress = new Uri(address);
        return server;
    }

    /// <summary>Answers the next requests to <paramref name="path"/> with these replies, in order, then 200.</summary>
    public void Script(string path, params Reply[] replies) => _scripts[path] = new ConcurrentQueue<Reply>(replies);

    /// <summary>Answers every request to <paramref name="path"/> with this reply.</summary>
    public void Always(string path, Reply reply) => _always[path] = reply;

    public IReadOnlyList<Hit> HitsOn(string path) => [.. _hits.Where(h => h.Path == path)];

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        _hits.Enqueue(new Hit(context.Request.Method, path, Stopwatch.GetTimestamp()));
        var reply = _always.TryGetValue(path, out var always) ? always
            : _scripts.TryGetValue(path, out var script) && script.TryDequeue(out var next) ? next
            : new Reply(StatusCodes.Status200OK);
        if (reply.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(reply.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        context.Response.StatusCode = reply.Status;
        if (reply.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = reply.RetryAfter;
        }
        await context.Response.WriteAsync($"{reply.Status}");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
