using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Workplace.McpApi.Auth;

namespace Workplace.McpApi.Connect;

/// <summary>Who asked to connect which source: what a connect link carries to the browser that opens it.</summary>
public sealed record ConnectTicket(string UserKey, string? Email, string Source);

/// <summary>
/// The connect URL handed to an agent: <c>{public origin}/connect/{source}?ticket=…</c>. The browser that opens it has no
/// bearer token, so the ticket (sealed and time-limited with DataProtection) says who the user is; it lives 10 minutes.
/// </summary>
public sealed class ConnectLinks(IDataProtectionProvider protection, AuthSettings auth, ISourceAccess access, TimeProvider time)
{
    public static readonly TimeSpan TicketLifetime = TimeSpan.FromMinutes(10);

    private readonly ITimeLimitedDataProtector _tickets = protection.CreateProtector("Workplace.ConnectTicket.v1").ToTimeLimitedDataProtector();

    /// <summary>The public origin: that of the canonical resource URI, which is what MCP clients reach.</summary>
    public string Origin { get; } = new Uri(auth.Resource).GetLeftPart(UriPartial.Authority);

    public string For(ClaimsPrincipal user, string source)
    {
        var ticket = new ConnectTicket(access.UserKey(user), user.FindFirst("email")?.Value, source);
        var sealedTicket = _tickets.Protect(JsonSerializer.Serialize(ticket, ConnectJsonContext.Default.ConnectTicket), time.GetUtcNow() + TicketLifetime);
        return $"{Origin}/connect/{Uri.EscapeDataString(source)}?ticket={Uri.EscapeDataString(sealedTicket)}";
    }

    /// <returns>The ticket, or null when it is forged, expired, or for another source.</returns>
    public ConnectTicket? Read(string? sealedTicket, string source)
    {
        if (string.IsNullOrEmpty(sealedTicket))
        {
            return null;
        }
        try
        {
            var json = _tickets.Unprotect(sealedTicket, out var expiration);
            var ticket = JsonSerializer.Deserialize(json, ConnectJsonContext.Default.ConnectTicket);
            return ticket is not null && expiration > time.GetUtcNow() && string.Equals(ticket.Source, source, StringComparison.Ordinal) ? ticket : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(ConnectTicket))]
[System.Text.Json.Serialization.JsonSerializable(typeof(ConnectState))]
internal sealed partial class ConnectJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
