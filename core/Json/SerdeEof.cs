using System.Text;

namespace Auki.Json;

/// <summary>
/// serde_json's text for JSON that stops early (<c>EOF while parsing an object at line 1 column 1</c>):
/// upstream's <c>from_json</c> errors carry it and callers match on it. A small scan finds what was
/// open when the text ran out; it answers only for truncated text, never for other syntax errors.
/// </summary>
public static class SerdeEof
{
    /// <summary>serde's message if <paramref name="text"/> is a truncated JSON value, else null.</summary>
    public static string? Message(string text)
    {
        var stack = new Stack<char>();   // '{' or '['
        string? state = "value";         // what serde wants next: "value", "list" (after '['), "object" (key, ':', ',' or '}')
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c is ' ' or '\t' or '\n' or '\r') { i++; continue; }
            switch (state)
            {
                case "value":
                case "list":
                    if (c == ']' && state == "list") { stack.Pop(); i++; state = AfterValue(stack); continue; }
                    if (c == '{') { stack.Push('{'); i++; state = "object"; continue; }
                    if (c == '[') { stack.Push('['); i++; state = "list"; continue; }
                    if (c == '"') { if (!SkipString(text, ref i)) return At(text, "a string"); state = AfterValue(stack); continue; }
                    int start = i;
                    while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '-' or '+' or '.')) i++;
                    if (i == start) return null;   // not truncation: some other syntax error
                    if (i == text.Length) return stack.Count == 0 ? null : At(text, stack.Peek() == '{' ? "an object" : "a list");
                    state = AfterValue(stack);
                    continue;
                case "object":
                    if (c == '"') { if (!SkipString(text, ref i)) return At(text, "a string"); continue; }
                    if (c == ':') { i++; state = "value"; continue; }
                    if (c == ',') { i++; continue; }
                    if (c == '}') { stack.Pop(); i++; state = AfterValue(stack); continue; }
                    return null;
                case "array":
                    if (c == ',') { i++; state = "value"; continue; }
                    if (c == ']') { stack.Pop(); i++; state = AfterValue(stack); continue; }
                    return null;
                case null:
                    return null;   // trailing characters after a complete value
            }
        }
        return state switch
        {
            null => null,
            "value" => At(text, "a value"),
            "list" or "array" => At(text, "a list"),
            _ => At(text, "an object"),
        };
    }

    private static string? AfterValue(Stack<char> stack) =>
        stack.Count == 0 ? null : stack.Peek() == '{' ? "object" : "array";

    private static bool SkipString(string text, ref int i)
    {
        for (i++; i < text.Length; i++)
        {
            if (text[i] == '\\') { i++; continue; }
            if (text[i] == '"') { i++; return true; }
        }
        return false;
    }

    private static string At(string text, string what)
    {
        int line = 1, lastNewline = -1;
        for (int k = 0; k < text.Length; k++) if (text[k] == '\n') { line++; lastNewline = k; }
        int column = Encoding.UTF8.GetByteCount(text.AsSpan(lastNewline + 1));
        return $"EOF while parsing {what} at line {line} column {column}";
    }
}
