using System.Text;

namespace Provisioner.Core.Webhooks;

/// <summary>
/// Text a receiver (or its network) chose, made safe to store: PostgreSQL refuses NUL in text and the driver refuses
/// a lone surrogate, and either would make the attempt impossible to record, so the delivery would be sent again for
/// ever. Both become U+FFFD; the text is cut to a length without splitting a surrogate pair.
/// </summary>
internal static class StorableText
{
    public static string? Of(string? text, int maxLength)
    {
        if (text is null)
        {
            return null;
        }

        var builder = new StringBuilder(Math.Min(text.Length, maxLength));
        for (var i = 0; i < text.Length && builder.Length < maxLength; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                if (builder.Length + 2 > maxLength)
                {
                    break;
                }

                builder.Append(c).Append(text[++i]);
            }
            else
            {
                builder.Append(c == '\0' || char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        return builder.ToString();
    }
}
