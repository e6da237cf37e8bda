using System.Text.Json.Serialization;

namespace Workplace.Connectors.Credentials;

[JsonSerializable(typeof(ProviderGrant))]
public sealed partial class CredentialsJsonContext : JsonSerializerContext;
