namespace Provisioner.Api.Hosting;

/// <summary>
/// One enum value read by its name. <see cref="Enum.TryParse{TEnum}(string?, bool, out TEnum)"/> also reads a comma
/// list as the values OR'ed together (<c>groupBy=provider,instanceType</c> meant region; role <c>tenant,admin</c>
/// meant admin) and digits as any number; both are refused here, never guessed at.
/// </summary>
internal static class EnumValue
{
    public static bool TryParse<T>(string? text, out T value)
        where T : struct, Enum
    {
        value = default;
        return text is { Length: > 0 }
            && char.IsLetter(text[0])
            && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            && Enum.TryParse(text, ignoreCase: true, out value)
            && Enum.IsDefined(value);
    }
}
