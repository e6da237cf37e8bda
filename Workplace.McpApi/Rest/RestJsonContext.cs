using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workplace.McpApi.Rest;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class RestJsonContext : JsonSerializerContext;
