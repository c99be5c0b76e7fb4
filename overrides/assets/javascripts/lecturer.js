/* Lecturer helpers: copy a heading's or a row's link, copy a section's citation, with a visible confirmation. */
