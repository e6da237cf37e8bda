using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.ServiceDefaults;

/// <summary>A real HTTP server on loopback that answers each path from a script, then 200; it records every hit.</summary>
public sealed class FlakyServer : IAsyncDisposable
{
    public sealed record Reply(int Status, string? RetryAfter = null, TimeSpan Delay = default);

    public sealed record Hit(string Method, string Path);

    private readonly ConcurrentDictionary<string, ConcurrentQueue<Reply>> _scripts = new();
    private readonly ConcurrentDictionary<string, Reply> _always = new();
    private readonly ConcurrentQueue<Hit> _hits = new();
    private LoopbackServer _server = null!;

    private FlakyServer()
    {
    }

    public Uri BaseAddress => _server.BaseAddress;

    public static async Task<FlakyServer> StartAsync()
    {
        var flaky = new FlakyServer();
        flaky._server = await LoopbackServer.StartAsync(app => app.Run(flaky.HandleAsync));
        return flaky;
    }

    /// <summary>Answers the next requests to <paramref name="path"/> with these replies, in order, then 200.</summary>
    public void Script(string path, params Reply[] replies) => _scripts[path] = new ConcurrentQueue<Reply>(replies);

    /// <summary>Answers every request to <paramref name="path"/> with this reply.</summary>
    public void Always(string path, Reply reply) => _always[path] = reply;

    public IReadOnlyList<Hit> HitsOn(string path) => [.. _hits.Where(h => h.Path == path)];

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        _hits.Enqueue(new Hit(context.Request.Method, path));
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

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
