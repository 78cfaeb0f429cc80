/// What Tornado's `RequestHandler.write(dict)` sends for the values JSONOutputTests writes,
/// recorded from a real Tornado application by Tests/Scripts/record_json_cases.py (which holds
/// the Python side of each value). To re-record, run that script and paste its lines here.
enum RecordedJSONCases {
    // Recorded from Tornado 6.6.1 on CPython 3.11.7 by Tests/Scripts/record_json_cases.py.
    static let shipment =
        #"{"id": 4217, "customer": "Ann & Bob <Teams>", "note": "<\/script><script>alert(1)<\/script>", "paid": true, "coupon": null, "tags": ["express", "gift"], "lines": [{"sku": "SKU-1001", "name": "Item number 1", "quantity": 2, "price": 2.25, "inStock": true}, {"sku": "SKU-1002", "name": "Item number 2", "quantity": 3, "price": 4.5, "inStock": true}, {"sku": "SKU-1003", "name": "Item number 3", "quantity": 4, "price": 6.75, "inStock": false}], "total": 45.0}"#
    static let strings =
        #"{"quote": "say \"hi\" \\ back", "controls": "tab\tnl\ncr\rnul\u0000bell\u0007bs\bff\fesc\u001bdel\u007f", "latin": "Zo\u00eb \u00c5ngstr\u00f6m", "astral": "\ud83d\ude00 \ud834\udd1e", "separators": "\u2028\u2029\ufeff", "slashes": "a/b <\/c> <\\/d> //", "empty": ""}"#
    static let numbers =
        #"{"doubles": [0.1, 1e+16, 1e-05, 100.0, -0.0, 2.25, 1.5e+300, 123456789.125, 5e-324, 1.7976931348623157e+308, 1e+22, 0.000123], "float": 0.10000000149011612, "ints": [0, -1, 9223372036854775807, -9223372036854775808], "small": 7, "flags": [true, false]}"#
    static let sorted = #"{"Beta": 3, "_": 4, "a b": 6, "alpha": 2, "zeta": 1, "\u00e9t\u00e9": 5}"#
    static let nested =
        #"{"maybe": null, "twice": null, "some": "x", "list": [null, 1, null], "empty": [], "object": {}}"#
    static let contentType = "application/json; charset=UTF-8"
}
