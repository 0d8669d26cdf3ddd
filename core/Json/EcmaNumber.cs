using System.Globalization;
using System.Text;

namespace Auki.Json;

/// <summary>
/// Formats doubles the way ECMAScript's Number.prototype.toString does (ECMA-262 §6.1.6.1.20),
/// which RFC 8785 requires: shortest round-trip digits, plain notation for exponents in
/// [-7, 21), otherwise "d.ddde±x". This is what makes our canonical bytes equal upstream's
/// (serde_jcs, which uses ryu-js).
/// </summary>
public static class EcmaNumber
{
    /// <summary>Format a finite double; throws for NaN and infinities, which JSON cannot carry.</summary>
    public static string Format(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
            throw AukiException.Invalid("JSON numbers must be finite (NaN and Infinity are not allowed)");
        if (value == 0) return "0"; // covers -0 as well

        var sb = new StringBuilder(32);
        if (value < 0) { sb.Append('-'); value = -value; }

        // "R" gives the shortest digits that round-trip; we only re-arrange them.
        string r = value.ToString("R", CultureInfo.InvariantCulture);
        int ePos = r.IndexOfAny(['E', 'e']);
        string mantissa = ePos < 0 ? r : r[..ePos];
        int exp = ePos < 0 ? 0 : int.Parse(r.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        int dot = mantissa.IndexOf('.');
        string digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        int n = (dot < 0 ? mantissa.Length : dot) + exp; // decimal point position relative to digits

        int lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0') lead++;
        digits = digits[lead..];
        n -= lead;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0) return "0";
        int k = digits.Length;

        if (k <= n && n <= 21)
        {
            sb.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            sb.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            sb.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            int e = n - 1;
            sb.Append(digits[0]);
            if (k > 1) sb.Append('.').Append(digits, 1, k - 1);
            sb.Append('e').Append(e < 0 ? '-' : '+').Append(Math.Abs(e).ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
