using System.Buffers;

namespace Workplace.Connectors.Sources;

/// <summary>A provider's answer read into memory, up to a bound that a source sets for what it expects of that answer.</summary>
public static class ProviderContent
{
    /// <returns>
    /// The body, or null when it is longer than <paramref name="limit"/>: checked as it streams, since a length header
    /// may be absent or wrong, so no more than the limit is ever held.
    /// </returns>
    public static async Task<MemoryStream?> ReadBoundedAsync(HttpContent content, long limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (content.Headers.ContentLength > limit)
        {
            return null;
        }
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        // Every provider answer passes here: the stream is sized by the length header when there is one (up to 4 MB, as
        // the header may be wrong), and the read buffer is pooled, so a search's answers do not each cost an 80 KB array.
        var body = new MemoryStream((int)Math.Min(content.Headers.ContentLength ?? 0, Math.Min(limit, 4 << 20)));
        var chunk = ArrayPool<byte>.Shared.Rent(81_920);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (body.Length + read > limit)
                {
                    await body.DisposeAsync();
                    return null;
                }
                body.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        body.Position = 0;
        return body;
    }
}
