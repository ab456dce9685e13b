/** Vietnamese strings of the shared interface pieces (app/components/ui). */
export const uiStrings = {
  pagination: "Phân trang",
};
