using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using StackExchange.Redis;

namespace Workplace.McpApi.Connect;

/// <summary>One connect flow in progress: whose it is, for which source, and what redeeming its code needs.</summary>
public sealed record ConnectState(string UserKey, string? Email, string Source, string CodeVerifier, string RedirectUri);

/// <summary>
/// Connect flows in progress, keyed by their OAuth state and sealed with DataProtection (they hold the PKCE verifier).
/// In Redis when it is registered (so the callback may reach another replica than the start), else in this process;
/// either way a state lives <see cref="Lifetime"/> and is taken at most once.
/// </summary>
public sealed class ConnectStateStore(IDataProtectionProvider protection, TimeProvider time, IConnectionMultiplexer? redis = null)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private const string KeyPrefix = "workplace:connect:state:";

    private readonly IDataProtector _protector = protection.CreateProtector("Workplace.ConnectState.v1");
    private readonly ConcurrentDictionary<string, (byte[] Sealed, DateTimeOffset Expires)> _inProcess = new(StringComparer.Ordinal);

    public async Task SaveAsync(string state, ConnectState entry)
    {
        var sealedEntry = _protector.Protect(JsonSerializer.SerializeToUtf8Bytes(entry, ConnectJsonContext.Default.ConnectState));
        if (redis is null)
        {
            PruneExpired();
            _inProcess[state] = (sealedEntry, time.GetUtcNow() + Lifetime);
            return;
        }
        await redis.GetDatabase().StringSetAsync(KeyPrefix + state, sealedEntry, Lifetime);
    }

    /// <summary>The entry of <paramref name="state"/>, removed in the same step (GETDEL): a replayed state finds nothing.</summary>
    public async Task<ConnectState?> TakeAsync(string state)
    {
        byte[]? sealedEntry;
        if (redis is null)
        {
            sealedEntry = _inProcess.TryRemove(state, out var held) && held.Expires > time.GetUtcNow() ? held.Sealed : null;
        }
        else
        {
            sealedEntry = await redis.GetDatabase().StringGetDeleteAsync(KeyPrefix + state);
        }
        if (sealedEntry is null)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize(_protector.Unprotect(sealedEntry), ConnectJsonContext.Default.ConnectState);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    private void PruneExpired()
    {
        var now = time.GetUtcNow();
        foreach (var (state, held) in _inProcess)
        {
            if (held.Expires <= now)
            {
                _inProcess.TryRemove(state, out _);
            }
        }
    }
}
