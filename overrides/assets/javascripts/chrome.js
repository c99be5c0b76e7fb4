/* Page chrome: the "report an error" link names the section the reader is in; the 404 page speaks the language of the missed address. */
