using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Workplace.Connectors.Credentials;

/// <summary>
/// Users' provider grants, encrypted at rest with ASP.NET Core DataProtection under a purpose that names the user and
/// the source, so a grant copied under another user's key does not decrypt.
/// </summary>
public sealed class GrantVault(IDataProtectionProvider protection)
{
    private readonly ConcurrentDictionary<string, byte[]> _grants = new(StringComparer.Ordinal);

    public Task SaveAsync(string userId, string source, ProviderGrant grant, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(grant, CredentialsJsonContext.Default.ProviderGrant);
        _grants[Key(userId, source)] = Protector(userId, source).Protect(bytes);
        return Task.CompletedTask;
    }

    public Task<ProviderGrant?> GetAsync(string userId, string source, CancellationToken cancellationToken)
    {
        if (!_grants.TryGetValue(Key(userId, source), out var sealedGrant))
        {
            return Task.FromResult<ProviderGrant?>(null);
        }
        var bytes = Protector(userId, source).Unprotect(sealedGrant);
        return Task.FromResult(JsonSerializer.Deserialize(bytes, CredentialsJsonContext.Default.ProviderGrant));
    }

    public Task DeleteAsync(string userId, string source, CancellationToken cancellationToken)
    {
        _grants.TryRemove(Key(userId, source), out _);
        return Task.CompletedTask;
    }

    private static string Key(string userId, string source) => $"{source}\n{userId}";

    private IDataProtector Protector(string userId, string source) =>
        protection.CreateProtector("Workplace.GrantVault.v1", source, userId);
}
