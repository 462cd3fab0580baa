using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Provisioner.Api.Instances;

/// <summary>
/// Where a page of the newest-first list ended: the last row's (createdAt, id). Opaque to clients
/// (base64url), so its form can change; a cursor that does not decode is a client error.
/// </summary>
public readonly record struct ListCursor(DateTimeOffset CreatedAt, Guid Id)
{
    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            $"{CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{Id:N}"));

    public static bool TryDecode(string? value, out ListCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(value) || value.Length > 100)
        {
            return false;
        }

        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(value)).Split(':');
            if (parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks is > 0 and < 3155378975999999999
                && Guid.TryParseExact(parts[1], "N", out var id))
            {
                cursor = new ListCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
                return true;
            }
        }
        catch (FormatException)
        {
            // not base64url: falls through to "invalid"
        }

        return false;
    }
}
