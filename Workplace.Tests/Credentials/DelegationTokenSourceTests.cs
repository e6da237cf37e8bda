using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Workplace.Connectors.Credentials;
using Workplace.Connectors.Sources;
using Workplace.ServiceDefaults.ConnectorApi;
using Workplace.Tests.Infrastructure;

namespace Workplace.Tests.Credentials;

/// <summary>
/// Google domain-wide delegation through the real Connectors app and Google.Apis.Auth, against a token endpoint that
/// checks the service account's signed assertion as Google's does (the Google emulator has no JWT-bearer grant yet).
/// </summary>
public sealed class DelegationTokenSourceTests : IAsyncLifetime
{
    private const string Source = "google_drive";
    private const string ServiceAccount = "workplace-reader@halcyon-robotics.iam.gserviceaccount.com";
    private const string RefusedUser = "contractor@elsewhere.example";

    private readonly RSA _key = RSA.Create(2048);
    private readonly string _root = Directory.CreateTempSubdirectory("delegation-files-").FullName;
    private readonly ConcurrentQueue<(string Subject, string Scope)> _exchanges = new();
    private LoopbackServer _google = null!;
    private ConnectorsApp _connectors = null!;
    private int _issued;

    public async Task InitializeAsync()
    {
        _google = await LoopbackServer.StartAsync(app => app.MapPost("/token", TokenAsync));
        var credentials = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["client_email"] = ServiceAccount,
            ["private_key_id"] = "key-1",
            ["private_key"] = _key.ExportPkcs8PrivateKeyPem(),
            ["token_uri"] = "https://oauth2.googleapis.com/token",
        });
        _connectors = ConnectorsApp.Start(_root, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            services => services.AddProviderCredentials(Source, "GoogleDrive", "Google Drive"),
            ("Logging:LogLevel:Default", "Warning"),
            ("Sources:GoogleDrive:BaseUrl", "http://127.0.0.1:9/"),
            ("Sources:GoogleDrive:TokenSource", "delegation"),
            ("Sources:GoogleDrive:Delegation:CredentialsJson", credentials),
            ("Sources:GoogleDrive:Delegation:TokenUrl", new Uri(_google.BaseAddress, "token").ToString()));
    }

    [Fact]
    public async Task The_service_account_acts_as_each_users_email_and_caches_the_token()
    {
        var aditi = Principal("aditi.raman@halcyon-robotics.example");
        var renata = Principal("renata.vashti@halcyon-robotics.example");

        var aditiToken = await Tokens.GetAccessTokenAsync(aditi, default);
        Assert.Equal(aditiToken, await Tokens.GetAccessTokenAsync(aditi, default));
        var renataToken = await Tokens.GetAccessTokenAsync(renata, default);

        Assert.NotEqual(aditiToken, renataToken);
        Assert.Equal([("aditi.raman@halcyon-robotics.example", "https://www.googleapis.com/auth/drive.readonly"),
            ("renata.vashti@halcyon-robotics.example", "https://www.googleapis.com/auth/drive.readonly")], _exchanges);
        Assert.True(await Tokens.IsConnectedAsync(aditi, default));
        Assert.Equal("delegation", Tokens.Kind);
    }

    [Fact]
    public async Task A_refused_token_is_exchanged_again_once()
    {
        var priya = Principal("priya.castellanos@halcyon-robotics.example");
        var first = await Tokens.GetAccessTokenAsync(priya, default);

        var renewed = await Tokens.RefreshAsync(priya, first, default);
        Assert.NotEqual(first, renewed);
        Assert.Equal(renewed, await Tokens.RefreshAsync(priya, first, default));
        Assert.Equal(2, _exchanges.Count(e => e.Subject == priya.Email));
    }

    [Fact]
    public async Task A_user_outside_the_delegation_is_a_clear_failure()
    {
        var refused = await Assert.ThrowsAsync<SourceRequestException>(() => Tokens.GetAccessTokenAsync(Principal(RefusedUser), default).AsTask());
        Assert.Equal(SourceFailure.ProviderFailure, refused.Failure);
        Assert.Contains("domain-wide delegation", refused.Message, StringComparison.Ordinal);

        var noEmail = await Assert.ThrowsAsync<SourceRequestException>(() => Tokens.GetAccessTokenAsync(new InternalPrincipal("no-email", new HashSet<string> { Source }), default).AsTask());
        Assert.Equal(SourceFailure.NotConnected, noEmail.Failure);
        Assert.False(await Tokens.IsConnectedAsync(new InternalPrincipal("no-email", new HashSet<string> { Source }), default));
    }

    private ITokenSource Tokens => _connectors.Services.GetRequiredKeyedService<ITokenSource>(Source);

    private static InternalPrincipal Principal(string email) => new("delegation-" + email, new HashSet<string> { Source }, email);

    // What Google's token endpoint checks of a JWT-bearer grant: the grant type, the signature by the service account's
    // key, its issuer, the audience (the token URL) and the subject it acts as.
    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer")
        {
            return Results.Json(new { error = "unsupported_grant_type" }, statusCode: 400);
        }
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(form["assertion"].ToString(), new TokenValidationParameters
        {
            IssuerSigningKey = new RsaSecurityKey(_key.ExportParameters(false)),
            ValidIssuer = ServiceAccount,
            ValidAudience = "https://oauth2.googleapis.com/token",
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        });
        if (!result.IsValid)
        {
            return Results.Json(new { error = "invalid_grant", error_description = "Invalid JWT Signature." }, statusCode: 400);
        }
        var subject = (string)result.Claims["sub"];
        if (subject == RefusedUser)
        {
            return Results.Json(new { error = "unauthorized_client", error_description = "Client is unauthorized to retrieve access tokens using this method." }, statusCode: 401);
        }
        _exchanges.Enqueue((subject, (string)result.Claims["scope"]));
        return Results.Json(new { access_token = $"ya29.delegated-{Interlocked.Increment(ref _issued)}", expires_in = 3599, token_type = "Bearer" });
    }

    public async Task DisposeAsync()
    {
        await _connectors.DisposeAsync();
        await _google.DisposeAsync();
        _key.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
