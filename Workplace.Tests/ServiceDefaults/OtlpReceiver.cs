using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.ServiceDefaults;

/// <summary>
/// An OTLP/HTTP receiver (http/protobuf) on loopback: accepts POST /v1/traces, /v1/metrics and /v1/logs and
/// decodes the spans it gets. OpenTelemetry.Exporter.InMemory does not restore here, and this also proves the wire.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    public sealed record Span(string ServiceName, string Name, IReadOnlyDictionary<string, string> Attributes);

    private readonly ConcurrentQueue<(string Signal, byte[] Body)> _requests = new();
    private LoopbackServer _server = null!;

    private OtlpReceiver()
    {
    }

    public Uri Endpoint => _server.BaseAddress;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var receiver = new OtlpReceiver();
        receiver._server = await LoopbackServer.StartAsync(app => app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver._requests.Enqueue((signal, body.ToArray()));
            // An empty ExportServiceResponse: full success.
            return Results.Bytes([], "application/x-protobuf");
        }));
        return receiver;
    }

    public int Received(string signal) => _requests.Count(r => r.Signal == signal);

    /// <summary>Whether any export of any signal carries <paramref name="text"/> anywhere, in UTF-8.</summary>
    public bool AnyExportContains(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return _requests.Any(r => r.Body.AsSpan().IndexOf(bytes) >= 0);
    }

    /// <summary>Every span received so far: ExportTraceServiceRequest → ResourceSpans → ScopeSpans → Span.</summary>
    public IReadOnlyList<Span> Spans()
    {
        var spans = new List<Span>();
        foreach (var (_, body) in _requests.Where(r => r.Signal == "traces"))
        {
            foreach (var resourceSpans in Protobuf.Messages(body, 1))
            {
                var resource = Protobuf.Messages(resourceSpans, 1).FirstOrDefault();
                var serviceName = resource is null ? "" : Attributes(resource, 1).GetValueOrDefault("service.name", "");
                foreach (var scopeSpans in Protobuf.Messages(resourceSpans, 2))
                {
                    foreach (var span in Protobuf.Messages(scopeSpans, 2))
                    {
                        var name = Protobuf.Messages(span, 5).Select(b => Encoding.UTF8.GetString(b)).FirstOrDefault() ?? "";
                        spans.Add(new Span(serviceName, name, Attributes(span, 9)));
                    }
                }
            }
        }
        return spans;
    }

    // KeyValue { string key = 1; AnyValue value = 2 } with AnyValue { string = 1; bool = 2; int64 = 3; ... }.
    private static Dictionary<string, string> Attributes(byte[] message, int field)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var keyValue in Protobuf.Messages(message, field))
        {
            var key = Protobuf.Messages(keyValue, 1).Select(b => Encoding.UTF8.GetString(b)).FirstOrDefault();
            var value = Protobuf.Messages(keyValue, 2).FirstOrDefault();
            if (key is null || value is null)
            {
                continue;
            }
            var text = Protobuf.Messages(value, 1).Select(b => Encoding.UTF8.GetString(b)).FirstOrDefault()
                ?? Protobuf.Varints(value, 3).Select(v => v.ToString(CultureInfo.InvariantCulture)).FirstOrDefault()
                ?? "";
            attributes[key] = text;
        }
        return attributes;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>Just enough of the protobuf wire format to walk OTLP messages.</summary>
    private static class Protobuf
    {
        public static IEnumerable<byte[]> Messages(byte[] message, int field) =>
            Fields(message).Where(f => f.Field == field && f.Bytes is not null).Select(f => f.Bytes!);

        public static IEnumerable<long> Varints(byte[] message, int field) =>
            Fields(message).Where(f => f.Field == field && f.Bytes is null).Select(f => f.Varint);

        private static List<(int Field, byte[]? Bytes, long Varint)> Fields(byte[] message)
        {
            var fields = new List<(int, byte[]?, long)>();
            var position = 0;
            while (position < message.Length)
            {
                var tag = ReadVarint(message, ref position);
                var field = (int)(tag >> 3);
                switch (tag & 7)
                {
                    case 0:
                        fields.Add((field, null, (long)ReadVarint(message, ref position)));
                        break;
                    case 1:
                        position += 8;
                        break;
                    case 2:
                        var length = (int)ReadVarint(message, ref position);
                        fields.Add((field, message[position..(position + length)], 0));
                        position += length;
                        break;
                    case 5:
                        position += 4;
                        break;
                    default:
                        throw new InvalidDataException($"Unsupported protobuf wire type {tag & 7} at byte {position}.");
                }
            }
            return fields;
        }

        private static ulong ReadVarint(byte[] buffer, ref int position)
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = buffer[position++];
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }
        }
    }
}
