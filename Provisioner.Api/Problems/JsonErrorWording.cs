using System.Text.Json;
using System.Text.RegularExpressions;

namespace Provisioner.Api.Problems;

/// <summary>
/// What a client is told about JSON that could not be read, in terms of its JSON only. System.Text.Json's messages
/// name our .NET types ("could not be mapped to any .NET member contained in type 'Provisioner.Api…'", "could not
/// be converted to Provisioner.Api.Instances.CreateInstanceRequest"), which mean nothing to a client and describe
/// our internals; the type they name is often the whole request's rather than the field's, so it cannot even be
/// turned into "must be a number": the field's path is what the client gets.
/// </summary>
internal static partial class JsonErrorWording
{
    public static string Describe(JsonException json, string field)
    {
        var message = json.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return $"'{field}' is not a field of this request (unknown fields are refused, not ignored).";
        }

        if (message.Contains("could not be converted to", StringComparison.Ordinal))
        {
            return $"'{field}' has the wrong JSON type, or a number out of range for it.";
        }

        // Syntax errors ("'x' is an invalid start of a value.") name no type; the position is reported separately.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var sentence = cut > 0 ? message[..cut] : message;
        return DotNetName().IsMatch(sentence)
            ? $"The JSON is not valid at '{field}'."
            : $"The JSON is not valid at '{field}': {sentence}";
    }

    [GeneratedRegex(@"\b(?:System|Provisioner|Microsoft)\.[A-Za-z]")]
    private static partial Regex DotNetName();
}
